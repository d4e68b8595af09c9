/// The append-only audit log.
public protocol EventRepository: Sendable {
    /// Appends events in one transaction and returns them with their ids and times.
    @discardableResult
    func append(_ events: [EventDraft]) async throws -> [Event]
    /// Events newest first, `limit` at a time, optionally for one object; `before` is the cursor from the previous page.
    func page(limit: Int, before: Int64?, object: ObjectKey?) async throws -> EventPage
}

extension EventRepository {
    /// Appends one event.
    @discardableResult
    public func append(_ event: EventDraft) async throws -> Event {
        guard let stored = try await append([event]).first else {
            throw StoreError(code: .database, message: "recording an event failed: nothing was returned")
        }
        return stored
    }
}
