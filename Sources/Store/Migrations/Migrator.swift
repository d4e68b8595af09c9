import Logging
import PostgresNIO

/// Applies ``Migration``s in order, each in its own transaction, recording each with its checksum in
/// `launchq_schema_migrations`.
///
/// Concurrent runs (two replicas starting, or `launchq migrate` during `serve`) are serialised by a
/// PostgreSQL session advisory lock. An applied migration whose SQL changed since is refused with
/// ``StoreError/Code/migrationChecksumMismatch`` before anything runs.
///
/// ```swift
/// let report = try await store.migrator.migrate()
/// print("applied \(report.applied.map(\.fileName))")
/// ```
public struct Migrator: Sendable {
    /// What ``migrate()`` did.
    public struct Report: Sendable, Hashable {
        /// Migrations applied by this run, in order.
        public var applied: [Migration]
        /// How many were already applied before this run.
        public var alreadyApplied: Int
    }

    /// Name of the bookkeeping table.
    public static let tableName = "launchq_schema_migrations"
    /// The advisory-lock key serialising `migrate` runs (ASCII "lqmigrat").
    public static let lockKey: Int64 = 0x6c71_6d69_6772_6174

    let store: PostgresStore
    /// The migrations this migrator applies, sorted by version.
    public let migrations: [Migration]

    /// A migrator for `store`, applying `migrations` (default: the ones embedded in this binary).
    public init(store: PostgresStore, migrations: [Migration] = Migration.embedded) {
        self.store = store
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies every migration not yet applied; a no-op when the schema is current.
    @discardableResult
    public func migrate() async throws -> Report {
        try Migration.validate(migrations)
        let logger = store.logger
        // Migrations may take long on a big database, or wait for another replica migrating: a generous limit.
        return try await store.withConnection("migrating", timeout: .seconds(900)) { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let report = try await migrateLocked(connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return report
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Migrations known to this binary and not yet applied (empty: the schema is current).
    ///
    /// Throws the same checksum / unknown-migration errors as ``migrate()``; used by `/readyz`.
    public func pending() async throws -> [Migration] {
        try await store.withConnection("reading migration state") { connection in
            let exists = try await connection.query(
                "SELECT to_regclass(\(Self.tableName)) IS NOT NULL", logger: store.logger
            ).decode(Bool.self).all().first ?? false
            guard exists else { return migrations }
            let applied = try await appliedMigrations(connection)
            try check(applied: applied)
            return migrations.filter { applied[$0.version] == nil }
        }
    }

    private func migrateLocked(_ connection: PostgresConnection) async throws -> Report {
        let logger = store.logger
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS launchq_schema_migrations (
                version     integer     PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms integer     NOT NULL
            )
            """,
            logger: logger)
        let applied = try await appliedMigrations(connection)
        try check(applied: applied)

        var report = Report(applied: [], alreadyApplied: applied.count)
        for migration in migrations where applied[migration.version] == nil {
            try await apply(migration, on: connection)
            report.applied.append(migration)
        }
        return report
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let logger = store.logger
        let clock = ContinuousClock()
        let started = clock.now
        let statements = SQLScript(migration.sql).statements
        _ = try await connection.query("BEGIN", logger: logger)
        var current: SQLScript.Statement?
        do {
            for statement in statements {
                current = statement
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement.sql), logger: logger)
            }
            current = nil
            let elapsed = started.duration(to: clock.now)
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            _ = try await connection.query(
                """
                INSERT INTO launchq_schema_migrations (version, name, checksum, duration_ms)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(milliseconds))
                """,
                logger: logger)
            _ = try await connection.query("COMMIT", logger: logger)
            logger.info("applied migration", metadata: ["migration": "\(migration.fileName)", "duration_ms": "\(milliseconds)"])
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            let underlying = StoreError.wrapping(error, database: store.configuration, while: "migration \(migration.fileName)")
            let location = current.map { " (statement starting at line \($0.line))" } ?? ""
            throw StoreError(
                code: .migrationFailed,
                message: "migration \(migration.fileName) failed\(location) and was rolled back; nothing from it was applied: \(underlying.message)")
        }
    }

    private func appliedMigrations(_ connection: PostgresConnection) async throws -> [Int: (name: String, checksum: String)] {
        var applied: [Int: (name: String, checksum: String)] = [:]
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM launchq_schema_migrations ORDER BY version", logger: store.logger)
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            applied[version] = (name, checksum)
        }
        return applied
    }

    private func check(applied: [Int: (name: String, checksum: String)]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw StoreError(
                    code: .unknownAppliedMigration,
                    message: "the database has migration \(version) (\(record.name)) applied, which this launchq does not know; "
                        + "it was migrated by a newer launchq")
            }
            guard migration.checksum == record.checksum else {
                throw StoreError(
                    code: .migrationChecksumMismatch,
                    message: "migration \(migration.fileName) was edited after it was applied (checksum \(record.checksum.prefix(12))… "
                        + "in the database, \(migration.checksum.prefix(12))… now); never edit an applied migration, add a new one instead")
            }
        }
    }
}
