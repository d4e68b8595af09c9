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

    public func record(_ statuses: [ObjectStatus]) async throws {
        guard !statuses.isEmpty else { return }
        try await store.withTransaction("recording object status") { connection in
            for status in statuses {
                try await connection.query(
                    """
                    INSERT INTO objects (kind, identity, desired_hash, observed_state, observed_hash, wandb_id, state,
                                         last_error, attempts, last_reconciled_at, updated_at, applied_policy)
                    VALUES (\(status.key.kind), \(status.key.identity), \(status.desiredHash), \(status.observedState),
                            \(status.observedHash), \(status.wandbID), \(status.state.rawValue), \(status.lastError),
                            \(status.attempts), \(status.lastReconciledAt), now(), \(status.appliedPolicy))
                    ON CONFLICT (kind, identity) DO UPDATE SET
                        desired_hash = EXCLUDED.desired_hash, observed_state = EXCLUDED.observed_state,
                        observed_hash = EXCLUDED.observed_hash, wandb_id = EXCLUDED.wandb_id, state = EXCLUDED.state,
                        last_error = EXCLUDED.last_error, attempts = EXCLUDED.attempts,
                        last_reconciled_at = EXCLUDED.last_reconciled_at, updated_at = now(),
                        applied_policy = COALESCE(EXCLUDED.applied_policy, objects.applied_policy)
                    """,
                    logger: store.logger)
            }
        }
    }

    public func status(of key: ObjectKey) async throws -> ObjectStatus? {
        let rows = try await store.query(
            "reading object status",
            "SELECT \(unescaped: Self.columns) FROM objects WHERE kind = \(key.kind) AND identity = \(key.identity)")
        return try rows.first.map(Self.decode)
    }

    public func list(kind: String?, state: ObjectState?) async throws -> [ObjectStatus] {
        let rows = try await store.query(
            "listing objects",
            """
            SELECT \(unescaped: Self.columns) FROM objects
            WHERE (\(kind)::text IS NULL OR kind = \(kind)) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY kind, identity
            """)
        return try rows.map(Self.decode)
    }

    public func remove(_ key: ObjectKey) async throws -> Bool {
        let rows = try await store.query(
            "removing object status",
            "DELETE FROM objects WHERE kind = \(key.kind) AND identity = \(key.identity) RETURNING 1")
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
