import Foundation
import Logging
import PostgresNIO

/// One object backing off after failed writes, as stored (table `object_backoff`).
public struct BackoffEntry: Sendable, Hashable {
    /// The plan step id (`RunQueue ml/a100`).
    public var id: String
    /// Consecutive failed writes.
    public var failures: Int
    /// How long from now (the database's now) the object is still left alone; zero or less once it may be tried.
    public var remaining: Duration

    public init(id: String, failures: Int, remaining: Duration) {
        self.id = id
        self.failures = failures
        self.remaining = remaining
    }
}

/// Per-object backoff on PostgreSQL, so that every replica (and the next leader after a failover) knows which
/// objects keep failing. The leader writes it; times are the database clock's.
public struct PostgresBackoffRepository: Sendable {
    let store: PostgresStore

    /// Every stored entry, with the time each still has to wait.
    public func all() async throws -> [BackoffEntry] {
        let rows = try await store.query(
            "reading per-object backoff",
            "SELECT step_id, failures, EXTRACT(EPOCH FROM (not_before - now()))::float8 FROM object_backoff ORDER BY step_id")
        return try rows.map { row in
            let (id, failures, seconds) = try row.decode((String, Int, Double).self)
            return BackoffEntry(id: id, failures: failures, remaining: .milliseconds(Int64((seconds * 1000).rounded())))
        }
    }

    /// Stores that `id` failed `failures` times in a row and is left alone for `wait` from now.
    public func recordFailure(_ id: String, failures: Int, wait: Duration) async throws {
        let seconds = PostgresLeaderLease.seconds(wait)
        try await store.query(
            "recording per-object backoff",
            """
            INSERT INTO object_backoff (step_id, failures, not_before, updated_at)
            VALUES (\(id), \(failures), now() + make_interval(secs => \(seconds)), now())
            ON CONFLICT (step_id) DO UPDATE SET
                failures = EXCLUDED.failures, not_before = EXCLUDED.not_before, updated_at = now()
            """)
    }

    /// Forgets `id` (its write succeeded).
    public func clear(_ id: String) async throws {
        try await store.query("clearing per-object backoff", "DELETE FROM object_backoff WHERE step_id = \(id)")
    }
}
