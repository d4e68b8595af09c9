/// One status row per managed object, keyed by ``ObjectKey``.
public protocol ObjectStatusRepository: Sendable {
    /// Inserts or replaces the rows for these objects, all in one transaction.
    func record(_ statuses: [ObjectStatus]) async throws
    /// The status of one object, or `nil` if it was never recorded.
    func status(of key: ObjectKey) async throws -> ObjectStatus?
    /// Every object (optionally of one kind / in one state), ordered by kind then identity.
    func list(kind: String?, state: ObjectState?) async throws -> [ObjectStatus]
    /// At most `limit` objects matching `filter` whose (kind, identity) comes after `after`, in that order, without
    /// their observed state: a page that stays correct while objects are added or removed between pages.
    func page(_ filter: ObjectFilter, after: ObjectKey?, limit: Int) async throws -> ObjectPage
    /// Counts by state and a fingerprint of the objects matching `filter` (one aggregate query, no rows sent).
    func summary(_ filter: ObjectFilter) async throws -> ObjectSummary
    /// The objects' change counter: it grows with every committed transaction that writes objects, so a
    /// ``summary(_:)`` read at version `v` still holds while the counter reads `v` (one single-row read).
    func version() async throws -> Int64
    /// Forgets an object (after it was pruned); `true` if a row was removed.
    func remove(_ key: ObjectKey) async throws -> Bool
    /// Every object (optionally of one kind) as ``list(kind:state:)`` gives it, but without its observed state
    /// (`nil`): what planning and the recorder read, a fleet's worth of rows without a fleet's worth of JSON text.
    func listWithoutObservedState(kind: String?) async throws -> [ObjectStatus]
    /// The objects of `kind` with these identities, as ``listWithoutObservedState(kind:)`` gives them: what the
    /// recorder compares one chunk of a fleet with (issue 13).
    func listWithoutObservedState(kind: String, identities: [String]) async throws -> [ObjectStatus]
    /// Sets the W&B id, observed state and observed hash of objects already recorded, leaving every other column
    /// (and objects not recorded) as they are.
    func recordObserved(_ statuses: [ObjectStatus]) async throws
    /// The declaration hash last applied to each object that is not failed, by `"Kind identity"` (objects without
    /// one are left out): what a run's drift detection compares, read without the rest of each row (issue 13).
    func lastAppliedHashes() async throws -> [String: String]
    /// Each object's remembered policy text (``ObjectStatus/appliedPolicy``), by `"Kind identity"` (objects without
    /// one are left out), read without the rest of each row.
    func appliedPolicyTexts() async throws -> [String: String]
}

extension ObjectStatusRepository {
    /// Inserts or replaces the row for one object.
    public func record(_ status: ObjectStatus) async throws { try await record([status]) }
    /// Every object, ordered by kind then identity.
    public func list() async throws -> [ObjectStatus] { try await list(kind: nil, state: nil) }

    public func listWithoutObservedState(kind: String?) async throws -> [ObjectStatus] {
        try await list(kind: kind, state: nil).map { status in
            var status = status
            status.observedState = nil
            return status
        }
    }

    public func listWithoutObservedState(kind: String, identities: [String]) async throws -> [ObjectStatus] {
        let wanted = Set(identities)
        return try await listWithoutObservedState(kind: kind).filter { wanted.contains($0.key.identity) }
    }

    public func recordObserved(_ statuses: [ObjectStatus]) async throws {
        var updated: [ObjectStatus] = []
        for status in statuses {
            guard var stored = try await self.status(of: status.key) else { continue }
            (stored.wandbID, stored.observedState, stored.observedHash) = (status.wandbID, status.observedState, status.observedHash)
            updated.append(stored)
        }
        try await record(updated)
    }
}
