import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

/// `objects.listed_hash` (what the counts summary and `GET /v1/objects`' ETag sum) depends on a row's content only,
/// not on the TimeZone or DateStyle of the session that wrote it (migration 0007; 0006 hashed the timestamp's text).
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ListedHashTimeZoneTests {
    static let key = ObjectKey(kind: "RunQueue", identity: "ml/gpu")
    /// Session settings that render the same instant as different text.
    static let sessions = [("UTC", "ISO, MDY"), ("Pacific/Auckland", "ISO, MDY"), ("America/Los_Angeles", "SQL, DMY"), ("Asia/Kolkata", "German")]

    /// The stored hash and 0006's text hash of the row after a session with these settings rewrote it.
    struct Rewrite: Equatable {
        var listed: Int64
        var textHash: Int64
    }

    /// Sets the row's listed fields (the instant given with an explicit offset, so it is the same in every zone) in
    /// one transaction of a session in `zone`.
    static func rewrite(_ store: PostgresStore, zone: String, dateStyle: String, reconciled: String = "2026-12-01 00:30:00.123456+00") async throws -> Rewrite {
        try await store.client.withConnection { connection in
            let logger = TestDatabase.logger
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT set_config('TimeZone', \(zone), true), set_config('DateStyle', \(dateStyle), true)", logger: logger)
            let rows = try await connection.query(
                """
                UPDATE objects SET last_reconciled_at = \(reconciled)::timestamptz, attempts = 2, last_error = 'boom'
                WHERE kind = \(key.kind) AND identity = \(key.identity)
                RETURNING listed_hash, hashtextextended(ROW(kind, identity, desired_hash, observed_hash, wandb_id, state,
                                                            last_error, attempts, last_reconciled_at)::text, 0)
                """, logger: logger)
            var result: [Rewrite] = []
            for try await (listed, textHash) in rows.decode((Int64, Int64).self) { result.append(Rewrite(listed: listed, textHash: textHash)) }
            try await connection.query("COMMIT", logger: logger)
            return try #require(result.first)
        }
    }

    static func listedHash(_ store: PostgresStore) async throws -> Int64 {
        try #require(try await store.values(
            "SELECT listed_hash FROM objects WHERE kind = \(key.kind) AND identity = \(key.identity)", as: Int64.self).first)
    }

    @Test func theSameRowWrittenFromAnyTimeZoneHasTheSameHashAndSummary() async throws {
        try await TestDatabase.withFreshDatabase { store, _ in
            try await store.objects.record(ObjectStatus(key: Self.key, desiredHash: "d1", state: .failed))
            var rewrites: [Rewrite] = []
            var fingerprints: Set<String> = []
            for (zone, dateStyle) in Self.sessions {
                rewrites.append(try await Self.rewrite(store, zone: zone, dateStyle: dateStyle))
                fingerprints.insert(try await store.objects.summary(ObjectFilter()).fingerprint)
            }
            #expect(Set(rewrites.map(\.listed)).count == 1, "one hash for one content: \(rewrites)")
            #expect(fingerprints.count == 1, "the summary (and so the ETag) did not move: \(fingerprints)")
            #expect(Set(rewrites.map(\.textHash)).count == Self.sessions.count, "the row's text differs per session (what 0006 hashed)")

            // The content still counts: a microsecond later is another hash and another summary.
            let later = try await Self.rewrite(store, zone: "UTC", dateStyle: "ISO, MDY", reconciled: "2026-12-01 00:30:00.123457+00")
            #expect(later.listed != rewrites[0].listed)
            #expect(!fingerprints.contains(try await store.objects.summary(ObjectFilter()).fingerprint))
        }
    }

    @Test func migration0007RecomputesTheHashOfRowsWrittenBefore() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { store, _ in
            let before = Array(Migration.embedded.prefix { $0.version <= 6 })
            _ = try await Migrator(store: store, migrations: before).migrate()
            try await store.objects.record(ObjectStatus(key: Self.key, desiredHash: "d1", state: .failed))
            _ = try await Self.rewrite(store, zone: "Pacific/Auckland", dateStyle: "SQL, DMY")
            let underZeroSix = try await Self.listedHash(store)

            let report = try await store.migrator.migrate()
            #expect(report.applied.map(\.version).contains(7))
            let migrated = try await Self.listedHash(store)
            #expect(migrated != underZeroSix, "0007 hashes the timestamp as a number, not its text")
            // What any session writing the same content now stores.
            #expect(try await Self.rewrite(store, zone: "UTC", dateStyle: "ISO, MDY").listed == migrated)
        }
    }
}
