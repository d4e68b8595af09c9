import Foundation
import Logging
import PostgresNIO

/// ``EventRepository`` on PostgreSQL (table `events`; a trigger refuses UPDATE and DELETE).
public struct PostgresEventRepository: EventRepository {
    let store: PostgresStore

    static let columns = """
        id, occurred_at, actor, object_kind, object_identity, action, before_summary, after_summary, outcome, message, \
        revision_id
        """

    @discardableResult
    public func append(_ events: [EventDraft]) async throws -> [Event] {
        guard !events.isEmpty else { return [] }
        return try await store.withTransaction("recording events") { connection in
            var stored: [Event] = []
            for event in events {
                let rows = try await connection.query(
                    """
                    INSERT INTO events (actor, object_kind, object_identity, action, before_summary, after_summary, outcome,
                                        message, revision_id)
                    VALUES (\(event.actor), \(event.object?.kind), \(event.object?.identity), \(event.action), \(event.before),
                            \(event.after), \(event.outcome.rawValue), \(event.message), \(event.revision))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: store.logger
                ).collect()
                stored.append(contentsOf: try rows.map(Self.decode))
            }
            return stored
        }
    }

    public func page(limit: Int, before: Int64?, object: ObjectKey?) async throws -> EventPage {
        let limit = max(1, min(limit, 1_000))
        let rows = try await store.query(
            "reading events",
            """
            SELECT \(unescaped: Self.columns) FROM events
            WHERE (\(before)::bigint IS NULL OR id < \(before))
              AND (\(object?.kind)::text IS NULL OR (object_kind = \(object?.kind) AND object_identity = \(object?.identity)))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """)
        var events = try rows.map(Self.decode)
        var next: Int64?
        if events.count > limit {
            events.removeLast()
            next = events.last?.id
        }
        return EventPage(events: events, nextCursor: next)
    }

    static func decode(_ row: PostgresRow) throws -> Event {
        let (id, occurredAt, actor, kind, identity, action, before, after, outcome, message, revision) = try row.decode(
            (Int64, Date, String, String?, String?, String, String?, String?, String, String?, Int64?).self)
        guard let eventOutcome = EventOutcome(rawValue: outcome) else {
            throw StoreError(code: .database, message: "event \(id) has unknown outcome '\(outcome)'")
        }
        let object = kind.flatMap { kind in identity.map { ObjectKey(kind: kind, identity: $0) } }
        return Event(
            id: id, occurredAt: occurredAt,
            draft: EventDraft(
                actor: actor, object: object, action: action, before: before, after: after, outcome: eventOutcome,
                message: message, revision: revision))
    }
}
