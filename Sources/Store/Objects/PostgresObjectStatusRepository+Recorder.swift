import Foundation
import PostgresNIO

/// The recorder's reads and writes of a whole fleet's statuses (issue 13): without the observed state where it is
/// not needed, and writing one statement's rows at a time.
extension PostgresObjectStatusRepository {
    public func listWithoutObservedState(kind: String?) async throws -> [ObjectStatus] {
        try await store.query(
            "listing objects",
            """
            SELECT \(unescaped: Self.listedColumns) FROM objects
            WHERE (\(kind)::text IS NULL OR kind = \(kind))
            ORDER BY kind, identity
            """, decoding: Self.decode)
    }

    public func listWithoutObservedState(kind: String, identities: [String]) async throws -> [ObjectStatus] {
        try await store.query(
            "listing objects",
            """
            SELECT \(unescaped: Self.listedColumns) FROM objects
            WHERE kind = \(kind) AND identity = ANY(\(identities))
            ORDER BY kind, identity
            """, decoding: Self.decode)
    }

    public func lastAppliedHashes() async throws -> [String: String] {
        try await store.query(
            "reading last applied hashes",
            """
            SELECT kind || ' ' || identity, desired_hash FROM objects
            WHERE state <> \(ObjectState.failed.rawValue) AND desired_hash IS NOT NULL
            """, into: [:]) { hashes, row in
            let (key, hash) = try row.decode((String, String).self)
            hashes[key] = hash
        }
    }

    public func appliedPolicyTexts() async throws -> [String: String] {
        try await store.query(
            "reading applied policies", "SELECT kind || ' ' || identity, applied_policy FROM objects WHERE applied_policy IS NOT NULL",
            into: [:]) { policies, row in
            let (key, policy) = try row.decode((String, String).self)
            policies[key] = policy
        }
    }

    public func recordObserved(_ statuses: [ObjectStatus]) async throws {
        try await write("recording observed state", statuses, as: ObservedRow.init) { chunk in
            """
            UPDATE objects o SET wandb_id = r.wandb_id, observed_state = r.observed_state,
                                 observed_hash = r.observed_hash, updated_at = now()
            FROM jsonb_to_recordset(\(chunk)::jsonb) AS r(
                kind text, identity text, wandb_id text, observed_state text, observed_hash text)
            WHERE o.kind = r.kind AND o.identity = r.identity
            """
        }
    }

    /// One observed state as a `jsonb_to_recordset` record.
    private struct ObservedRow: Encodable {
        var kind, identity: String
        var wandb_id, observed_state, observed_hash: String?

        init(_ status: ObjectStatus) {
            kind = status.key.kind
            identity = status.key.identity
            wandb_id = status.wandbID
            observed_state = status.observedState
            observed_hash = status.observedHash
        }
    }
}
