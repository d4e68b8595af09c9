import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// The throwaway PostgreSQL of `scripts/with-postgres` (PGHOST/PGPORT/... or DATABASE_URL): a fresh database per
/// test. Under `CI=true` a missing server is a failure, not a skip.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static var isCI: Bool { ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "") }

    static var adminConfiguration: DatabaseConfiguration? {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try? DatabaseConfiguration(url: url) }
        guard let port = environment["PGPORT"].flatMap(Int.init) else { return nil }
        return DatabaseConfiguration(
            host: environment["PGHOST"] ?? "127.0.0.1", port: port, username: environment["PGUSER"] ?? "postgres",
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", sslMode: .disable)
    }

    /// Run the database suites when a server is configured, and always on CI (where a missing one must fail).
    static var shouldRun: Bool { adminConfiguration != nil || isCI }
    static let skipReason: Comment = "needs PostgreSQL: run under scripts/with-postgres (or set DATABASE_URL)"

    static var logger: Logger {
        var logger = Logger(label: "launchq.adminserver.tests")
        logger.logLevel = .error
        return logger
    }

    /// Creates an empty, migrated database, runs `body` with a store on it (pool running) and the URL, then drops it.
    static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        guard let admin = adminConfiguration else {
            throw StoreError(code: .unreachable, message: "no PostgreSQL configured: \(skipReason)")
        }
        let name = "launchq_admin_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            // A generated identifier (hex only); CREATE DATABASE cannot take a bound parameter.
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var configuration = admin
        configuration.database = name
        configuration.pool.maximumConnections = 8
        let database = configuration
        do {
            let result = try await PostgresStore.withStore(database, logger: logger) { store in
                if migrate { try await store.migrator.migrate() }
                return try await body(store, database)
            }
            try await drop(name, admin: admin)
            return result
        } catch {
            try? await drop(name, admin: admin)
            throw error
        }
    }

    private static func drop(_ name: String, admin: DatabaseConfiguration) async throws {
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}

extension PostgresStore {
    /// Test helper: a row count.
    func count(_ table: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table)"), logger: TestDatabase.logger)
        for try await value in rows.decode(Int.self) { return value }
        return -1
    }
}
