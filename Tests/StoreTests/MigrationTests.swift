import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

@Suite("Migrations against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct MigrationTests {
    static let tables = ["revisions", "revision_declarations", "current_revision", "objects", "events", "api_tokens", "leader_lease",
        "scheduler_control", "object_backoff", "reconcile_requests"]

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
            #expect(error?.message.contains(broken.fileName) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("line 4") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("division by zero") == true, "\(error?.message ?? "")")

            // The good migration before it stays applied (its own transaction); nothing of the broken one remains.
            #expect(try await store.values("SELECT to_regclass('should_vanish') IS NULL", as: Bool.self) == [true])
            #expect(
                try await store.values(
                    "SELECT count(*)::bigint FROM information_schema.columns WHERE table_name = 'objects' AND column_name = 'should_vanish_too'",
                    as: Int.self) == [0])
            #expect(try await store.count("api_tokens") == 0)
            #expect(
                try await store.values("SELECT version FROM launchq_schema_migrations ORDER BY version", as: Int.self)
                    == Migration.embedded.map(\.version))
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

@Suite("launchq migrate and token commands against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct StoreCommandTests {
    /// The URL of the test store's database.
    static func url(of store: PostgresStore) -> String { TestDatabase.url(of: store.configuration) }

    @Test func readinessReportsPendingMigrationsThenReady() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { (store) async throws in
            guard case .migrationsPending(let pending) = await store.readiness() else {
                Issue.record("expected pending migrations")
                return
            }
            #expect(pending == Migration.embedded)
            try await store.migrator.migrate()
            #expect(await store.readiness().isReady)
        }
    }

    @Test(.enabled(if: launchqBinary() != nil, "the launchq executable is not built (swift build)"))
    func migrateThenTokenCreatePrintsTheSecretAloneOnTheLastLine() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { store in
            let binary = try #require(launchqBinary())
            let url = Self.url(of: store)
            let (migrated, migrateOut, migrateErr) = try await runLaunchq(binary, ["migrate", "--database-url", url])
            #expect(migrated == 0, "\(migrateErr)")
            #expect(migrateOut.contains("applied 0001_init.sql"))
            let (again, againOut, _) = try await runLaunchq(binary, ["migrate"], environment: ["DATABASE_URL": url])
            #expect(again == 0 && againOut.contains("schema is current"))

            let (created, stdout, stderr) = try await runLaunchq(
                binary, ["token", "create", "--name", "ci 'bot'", "--role", "admin"], environment: ["DATABASE_URL": url])
            #expect(created == 0, "\(stderr)")
            let secret = try #require(stdout.split(separator: "\n").last.map(String.init))
            #expect(secret.hasPrefix("lq_") && !secret.contains(" "))
            let token = try #require(try await store.tokens.verify(secret: secret))
            #expect(token.name == "ci 'bot'" && token.role == .admin)

            let (listed, listing, _) = try await runLaunchq(binary, ["token", "list"], environment: ["DATABASE_URL": url])
            #expect(listed == 0 && listing.contains("ci 'bot'") && !listing.contains(secret))
            let (revoked, _, _) = try await runLaunchq(binary, ["token", "revoke", "ci 'bot'"], environment: ["DATABASE_URL": url])
            #expect(revoked == 0)
            #expect(try await store.tokens.verify(secret: secret) == nil)
            let (again404, _, missing) = try await runLaunchq(binary, ["token", "revoke", "ci 'bot'"], environment: ["DATABASE_URL": url])
            #expect(again404 == 1 && missing.contains("no active token named 'ci 'bot''"))
        }
    }
}
