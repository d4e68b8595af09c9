import Foundation
import Logging
import PostgresNIO

/// A recorded `POST /v1/reconcile` (table `reconcile_requests`).
public struct ReconcileRequestRecord: Sendable, Hashable {
    /// Where it is: recorded, being run by the leader, or run.
    public enum State: String, Sendable, Hashable, Codable {
        case pending, running, finished
    }

    public var id: Int64
    /// The API actor who asked.
    public var requestedBy: String
    /// The replica that recorded it.
    public var replica: String
    /// One object, or `nil` for all.
    public var object: ObjectKey?
    public var state: State
    public var requestedAt: Date
    /// The leader that ran (or runs) it.
    public var claimedBy: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The run's outcome (`succeeded`, `failed`, ...), once finished.
    public var outcome: String?
    /// The run's summary as JSON text (the admin server's representation), once finished.
    public var run: String?
    /// The deletion guards' overrides asked for this request's run.
    public var deletions: DeletionOverrides = .none
}

/// Reconcile requests on PostgreSQL: any replica records one (and wakes the leader through ``ControlChannel``),
/// the leader claims the pending ones under its lease term and records how the run ended.
public struct PostgresReconcileRequestRepository: Sendable {
    let store: PostgresStore

    static let columns = """
        id, requested_by, replica, object_kind, object_identity, state, requested_at, claimed_by, started_at, finished_at, outcome, run,
        allow_nonempty_delete, max_deletions
        """

    /// Records a request for `object` (or all) by `actor` on `replica`, with `deletions` for its run, and notifies
    /// the listeners.
    public func record(
        object: ObjectKey?, by actor: String, replica: String, deletions: DeletionOverrides = .none
    ) async throws -> ReconcileRequestRecord {
        let rows = try await store.query(
            "recording a reconcile request",
            """
            WITH recorded AS (
                INSERT INTO reconcile_requests (requested_by, replica, object_kind, object_identity, allow_nonempty_delete, max_deletions)
                VALUES (\(actor), \(replica), \(object?.kind), \(object?.identity), \(deletions.allowNonemptyDelete), \(deletions.maxDeletions))
                RETURNING \(unescaped: Self.columns)
            )
            SELECT \(unescaped: Self.columns), pg_notify(\(ControlChannel.name), 'reconcile:' || id) FROM recorded
            """)
        guard let row = rows.first else { throw StoreError(code: .database, message: "recording a reconcile request returned nothing") }
        return try Self.decode(row)
    }

    /// Claims, for the leader `replica` in lease `term`, every pending request and every one a leader of an older
    /// term claimed but never finished (it died or lost the lease), oldest first.
    public func claim(replica: String, term: Int64) async throws -> [ReconcileRequestRecord] {
        let rows = try await store.query(
            "claiming reconcile requests",
            """
            UPDATE reconcile_requests SET state = 'running', claimed_by = \(replica), claimed_term = \(term), started_at = now()
            WHERE state = 'pending' OR (state = 'running' AND claimed_term < \(term))
            RETURNING \(unescaped: Self.columns)
            """)
        return try rows.map(Self.decode).sorted { $0.id < $1.id }
    }

    /// How long finished requests are kept (for `?wait=true` and for looking back); older ones are deleted.
    public static let kept = "7 days"

    /// Records how the run that covered `ids` ended (`run`: its summary as JSON text), and deletes finished
    /// requests older than ``kept``.
    public func finish(_ ids: [Int64], outcome: String, run: String) async throws {
        guard !ids.isEmpty else { return }
        try await store.query(
            "finishing reconcile requests",
            """
            UPDATE reconcile_requests SET state = 'finished', finished_at = now(), outcome = \(outcome), run = \(run)
            WHERE id = ANY(\(ids)) AND state <> 'finished'
            """)
        try await store.query(
            "deleting old reconcile requests",
            "DELETE FROM reconcile_requests WHERE state = 'finished' AND finished_at < now() - \(Self.kept)::interval")
    }

    /// The request numbered `id`, or `nil`.
    public func find(_ id: Int64) async throws -> ReconcileRequestRecord? {
        let rows = try await store.query(
            "reading a reconcile request", "SELECT \(unescaped: Self.columns) FROM reconcile_requests WHERE id = \(id)")
        return try rows.first.map(Self.decode)
    }

    /// Whether any request is waiting for the leader (pending, or claimed by a leader of a term older than `term`).
    public func hasOpen(olderThanTerm term: Int64) async throws -> Bool {
        let rows = try await store.query(
            "looking for reconcile requests",
            """
            SELECT 1 FROM reconcile_requests
            WHERE state = 'pending' OR (state = 'running' AND claimed_term < \(term)) LIMIT 1
            """)
        return !rows.isEmpty
    }

    static func decode(_ row: PostgresRow) throws -> ReconcileRequestRecord {
        let columns = row.makeRandomAccess()
        let kind = try columns["object_kind"].decode(String?.self)
        let identity = try columns["object_identity"].decode(String?.self)
        let state = try columns["state"].decode(String.self)
        return ReconcileRequestRecord(
            id: try columns["id"].decode(Int64.self), requestedBy: try columns["requested_by"].decode(String.self),
            replica: try columns["replica"].decode(String.self),
            object: kind.flatMap { kind in identity.map { ObjectKey(kind: kind, identity: $0) } },
            state: ReconcileRequestRecord.State(rawValue: state) ?? .pending, requestedAt: try columns["requested_at"].decode(Date.self),
            claimedBy: try columns["claimed_by"].decode(String?.self), startedAt: try columns["started_at"].decode(Date?.self),
            finishedAt: try columns["finished_at"].decode(Date?.self), outcome: try columns["outcome"].decode(String?.self),
            run: try columns["run"].decode(String?.self),
            deletions: DeletionOverrides(
                allowNonemptyDelete: try columns["allow_nonempty_delete"].decode(Bool.self),
                maxDeletions: try columns["max_deletions"].decode(Int?.self)))
    }
}
