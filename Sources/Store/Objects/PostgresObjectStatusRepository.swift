import Foundation
import Logging
import PostgresNIO

/// ``ObjectStatusRepository`` on PostgreSQL (table `objects`).
public struct PostgresObjectStatusRepository: ObjectStatusRepository {
    let store: PostgresStore

    static let columns = """
        kind, identity, desired_hash, observed_state, observed_hash, wandb_id, state, last_error, attempts, \
        last_reconciled_at, updated_at, applied_policy
        """

    /// Rows written per statement: one statement upserts a chunk as a JSON array (`jsonb_to_recordset`), so
    /// 10,000 rows are 20 round trips in one transaction, not 10,000.
    static let rowsPerStatement = 500

    public func record(_ statuses: [ObjectStatus]) async throws {
        try await write("recording object status", statuses, as: Row.init) { chunk in
            """
            INSERT INTO objects (kind, identity, desired_hash, observed_state, observed_hash, wandb_id, state,
                                 last_error, attempts, last_reconciled_at, updated_at, applied_policy)
            SELECT r.kind, r.identity, r.desired_hash, r.observed_state, r.observed_hash, r.wandb_id, r.state,
                   r.last_error, r.attempts,
                   timestamptz '2000-01-01 00:00:00+00' + r.reconciled_us * interval '1 microsecond', now(),
                   r.applied_policy
            FROM jsonb_to_recordset(\(chunk)::jsonb) AS r(
                kind text, identity text, desired_hash text, observed_state text, observed_hash text, wandb_id text,
                state text, last_error text, attempts integer, reconciled_us bigint, applied_policy text)
            ON CONFLICT (kind, identity) DO UPDATE SET
                desired_hash = EXCLUDED.desired_hash, observed_state = EXCLUDED.observed_state,
                observed_hash = EXCLUDED.observed_hash, wandb_id = EXCLUDED.wandb_id, state = EXCLUDED.state,
                last_error = EXCLUDED.last_error, attempts = EXCLUDED.attempts,
                last_reconciled_at = EXCLUDED.last_reconciled_at, updated_at = now(),
                applied_policy = COALESCE(EXCLUDED.applied_policy, objects.applied_policy)
            """
        }
    }

    /// Writes `statuses` in one transaction, one row per key (the last given winning: a statement may not touch a row
    /// twice), ``rowsPerStatement`` rows per statement as a JSON array (`jsonb_to_recordset`) encoded as it is sent —
    /// never every statement's text before the first is sent; then reads the objects' version back.
    func write<Row: Encodable & Sendable>(
        _ what: String, _ statuses: [ObjectStatus], as row: @escaping @Sendable (ObjectStatus) -> Row,
        statement: @escaping @Sendable (String) -> PostgresQuery
    ) async throws {
        guard !statuses.isEmpty else { return }
        var latest: [ObjectKey: Int] = [:]
        for (index, status) in statuses.enumerated() { latest[status.key] = index }
        let kept = statuses.indices.filter { latest[statuses[$0].key] == $0 }
        do {
            try await store.withTransaction(what) { connection in
                for start in stride(from: 0, to: kept.count, by: Self.rowsPerStatement) {
                    let rows = kept[start..<min(start + Self.rowsPerStatement, kept.count)].map { row(statuses[$0]) }
                    try await connection.query(statement(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)), logger: store.logger)
                }
            }
        } catch {
            store.objectsVersion.forget()  // it may have committed: read the version again
            throw error
        }
        await versionAfterWrite()
    }

    /// One status as a `jsonb_to_recordset` record; the time as whole microseconds since 2000-01-01 UTC, truncated
    /// as PostgresNIO binds a `Date`, so a recorded time reads back exactly as if bound directly.
    private struct Row: Encodable {
        var kind, identity, state: String
        var desired_hash, observed_state, observed_hash, wandb_id, last_error, applied_policy: String?
        var attempts: Int
        var reconciled_us: Int64?

        init(_ status: ObjectStatus) {
            kind = status.key.kind
            identity = status.key.identity
            state = status.state.rawValue
            desired_hash = status.desiredHash
            observed_state = status.observedState
            observed_hash = status.observedHash
            wandb_id = status.wandbID
            last_error = status.lastError
            applied_policy = status.appliedPolicy
            attempts = status.attempts
            reconciled_us = status.lastReconciledAt.map { Int64($0.timeIntervalSince(Self.postgresEpoch) * 1_000_000) }
        }

        static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)
    }

    public func status(of key: ObjectKey) async throws -> ObjectStatus? {
        let rows = try await store.query(
            "reading object status",
            "SELECT \(unescaped: Self.columns) FROM objects WHERE kind = \(key.kind) AND identity = \(key.identity)")
        return try rows.first.map(Self.decode)
    }

    public func list(kind: String?, state: ObjectState?) async throws -> [ObjectStatus] {
        try await store.query(
            "listing objects",
            """
            SELECT \(unescaped: Self.columns) FROM objects
            WHERE (\(kind)::text IS NULL OR kind = \(kind)) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY kind, identity
            """, decoding: Self.decode)
    }

    public func remove(_ key: ObjectKey) async throws -> Bool {
        let rows: [PostgresRow]
        do {
            rows = try await store.query(
                "removing object status",
                "DELETE FROM objects WHERE kind = \(key.kind) AND identity = \(key.identity) RETURNING 1")
        } catch {
            store.objectsVersion.forget()  // it may have committed: read the version again
            throw error
        }
        if !rows.isEmpty { await versionAfterWrite() }
        return !rows.isEmpty
    }

    static func decode(_ row: PostgresRow) throws -> ObjectStatus {
        let (kind, identity, desiredHash, observedState, observedHash, wandbID, state, lastError, attempts, reconciledAt, updatedAt, policy) =
            try row.decode((String, String, String?, String?, String?, String?, String, String?, Int, Date?, Date, String?).self)
        guard let objectState = ObjectState(rawValue: state) else {
            throw StoreError(code: .database, message: "object \(kind) '\(identity)' has unknown state '\(state)'")
        }
        return ObjectStatus(
            key: ObjectKey(kind: kind, identity: identity), desiredHash: desiredHash, observedState: observedState,
            observedHash: observedHash, wandbID: wandbID, state: objectState, lastError: lastError, attempts: attempts,
            lastReconciledAt: reconciledAt, updatedAt: updatedAt, appliedPolicy: policy)
    }
}
