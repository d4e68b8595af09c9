import Foundation
import Logging
import PostgresNIO

/// ``LeaderLease`` on PostgreSQL (table `leader_lease`, one row per lease name), using the database clock.
public struct PostgresLeaderLease: LeaderLease {
    /// The lease the reconciler uses.
    public static let defaultName = "reconciler"

    let store: PostgresStore
    /// Which lease this is (one row each).
    public let name: String

    public func acquire(holder: String, duration: Duration) async throws -> Lease? {
        let rows = try await store.query(
            "acquiring the leader lease",
            """
            INSERT INTO leader_lease AS l (name, holder, term, acquired_at, renewed_at, expires_at)
            VALUES (\(name), \(holder), 1, now(), now(), now() + make_interval(secs => \(Self.seconds(duration))))
            ON CONFLICT (name) DO UPDATE SET
                holder = EXCLUDED.holder,
                term = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.term ELSE l.term + 1 END,
                acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.acquired_at ELSE now() END,
                renewed_at = now(),
                expires_at = EXCLUDED.expires_at
            WHERE l.expires_at <= now() OR l.holder = EXCLUDED.holder
            RETURNING holder, term, acquired_at, expires_at
            """)
        return try rows.first.map(Self.decode)
    }

    public func renew(holder: String, term: Int64, duration: Duration) async throws -> Lease? {
        let rows = try await store.query(
            "renewing the leader lease",
            """
            UPDATE leader_lease
            SET renewed_at = now(), expires_at = now() + make_interval(secs => \(Self.seconds(duration)))
            WHERE name = \(name) AND holder = \(holder) AND term = \(term) AND expires_at > now()
            RETURNING holder, term, acquired_at, expires_at
            """)
        return try rows.first.map(Self.decode)
    }

    @discardableResult
    public func release(holder: String, term: Int64) async throws -> Bool {
        let rows = try await store.query(
            "releasing the leader lease",
            """
            UPDATE leader_lease SET expires_at = now()
            WHERE name = \(name) AND holder = \(holder) AND term = \(term) AND expires_at > now()
            RETURNING 1
            """)
        return !rows.isEmpty
    }

    public func current() async throws -> Lease? {
        let rows = try await store.query(
            "reading the leader lease",
            "SELECT holder, term, acquired_at, expires_at FROM leader_lease WHERE name = \(name)")
        return try rows.first.map(Self.decode)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func decode(_ row: PostgresRow) throws -> Lease {
        let (holder, term, acquiredAt, expiresAt) = try row.decode((String, Int64, Date, Date).self)
        return Lease(holder: holder, term: term, acquiredAt: acquiredAt, expiresAt: expiresAt)
    }
}
