import Foundation
import PostgresNIO
import Store
import Testing

@Suite("Migrations against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct MigrationTests {
    static let tables = ["revisions", "revision_declarations", "current_revision", "objects", "events", "api_tokens", "leader_lease"]

    @Test func migratingAnEmptyDatabaseCreatesTheSchemaAndARerunIsANoOp() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { (store) async throws in
            #expect(try await store.migrator.pending() == Migration.embedded)

            let first = try await store.migrator.migrate()
            #expect(first.applied == Migration.embedded)
            #expect(first.alreadyApplied == 0)
            for table in Self.tables {
                #expect(try await store.values("SELECT to_regclass(\(table)) IS NOT NULL", as: Bool.self) == [true], "\(table)")
            }
            let recorded = try await store.values(
                "SELECT checksum FROM launchq_schema_migrations ORDER BY version", as: String.self)
            #expect(recorded == Migration.embedded.map(\.checksum))

            let second = try await store.migrator.migrate()
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == Migration.embedded.count)
            #expect(try await store.migrator.pending().isEmpty)
            #expect(try await store.count("launchq_schema_migrations") == Migration.embedded.count)
        }
    }

    @Test func aFailingMigrationLeavesTheSchemaUnchanged() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { (store) async throws in
            let broken = Migration(
                version: Migration.embedded.count + 1, name: "broken",
                sql: """
                    CREATE TABLE should_vanish (x int);
                    ALTER TABLE objects ADD COLUMN should_vanish_too int;
                    INSERT INTO api_tokens (name, role, token_sha256) VALUES ('x', 'admin', repeat('a', 64));
                    SELECT 1 / 0;
                    """)
            let migrator = Migrator(store: store, migrations: Migration.embedded + [broken])
            let error = await storeError { _ = try await migrator.migrate() }
            #expect(error?.code == .migrationFailed)
            #expect(error?.message.contains("0002_broken.sql") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("line 4") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("division by zero") == true, "\(error?.message ?? "")")

            // The good migration before it stays applied (its own transaction); nothing of the broken one remains.
            #expect(try await store.values("SELECT to_regclass('should_vanish') IS NULL", as: Bool.self) == [true])
            #expect(
                try await store.values(
                    "SELECT count(*)::bigint FROM information_schema.columns WHERE table_name = 'objects' AND column_name = 'should_vanish_too'",
                    as: Int.self) == [0])
            #expect(try await store.count("api_tokens") == 0)
            #expect(try await store.values("SELECT version FROM launchq_schema_migrations", as: Int.self) == [1])
            #expect(try await migrator.pending() == [broken])
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            var edited = Migration.embedded
            edited[0] = Migration(version: edited[0].version, name: edited[0].name, sql: edited[0].sql + "\n-- sneaky edit\n")
            let error = await storeError { _ = try await Migrator(store: store, migrations: edited).migrate() }
            #expect(error?.code == .migrationChecksumMismatch)
            #expect(error?.message.contains("0001_init.sql was edited after it was applied") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aDatabaseFromANewerLaunchqIsRefused() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let error = await storeError { _ = try await Migrator(store: store, migrations: []).migrate() }
            #expect(error?.code == .unknownAppliedMigration)
        }
    }

    @Test func concurrentMigrateRunsAreSerialised() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { (store) async throws in
            let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
                for _ in 0..<4 { group.addTask { try await store.migrator.migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.count == 4)
            #expect(reports.map(\.applied.count).reduce(0, +) == Migration.embedded.count, "each migration applied exactly once")
            #expect(try await store.count("launchq_schema_migrations") == Migration.embedded.count)
        }
    }
}
