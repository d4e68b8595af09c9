import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// A fresh, migrated PostgreSQL database per test, on the server `scripts/with-postgres` starts
/// (DATABASE_URL or PGHOST/PGPORT/...). Under `CI=true` a missing server fails the test.
enum TestDatabase {
    static var adminConfiguration: DatabaseConfiguration? {
        let environment = Repository.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try? DatabaseConfiguration(url: url) }
        guard let port = environment["PGPORT"].flatMap(Int.init) else { return nil }
        return DatabaseConfiguration(
            host: environment["PGHOST"] ?? "127.0.0.1", port: port, username: environment["PGUSER"] ?? "postgres",
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", sslMode: .disable)
    }

    static var shouldRun: Bool { adminConfiguration != nil || Repository.isCI }
    static let skipReason: Comment = "needs PostgreSQL: run under scripts/with-postgres (or set DATABASE_URL)"

    static var logger: Logger {
        var logger = Logger(label: "launchq.reconciler.tests")
        logger.logLevel = .error
        return logger
    }

    /// Creates and migrates an empty database, runs `body` with a store on it and its configuration (for a
    /// child process's `--database-url`), then drops it.
    static func withFreshDatabase<Result: Sendable>(
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        guard let admin = adminConfiguration else {
            throw StoreError(code: .unreachable, message: "CI=true but no PostgreSQL configured: \(skipReason)")
        }
        let name = "launchq_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            // A generated identifier (hex only); CREATE DATABASE cannot take a bound parameter.
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var settings = admin
        settings.database = name
        settings.pool.maximumConnections = 4
        let configuration = settings
        do {
            let result = try await PostgresStore.withStore(configuration, logger: logger) { store in
                _ = try await store.migrator.migrate()
                return try await body(store, configuration)
            }
            try await drop(name, admin: admin)
            return result
        } catch {
            try? await drop(name, admin: admin)
            throw error
        }
    }

    /// `postgres://user@host:port/database?sslmode=disable` for a child process (trust auth: no password).
    static func url(of configuration: DatabaseConfiguration) -> String {
        let user = configuration.username
        let password = configuration.password.map { ":\($0)" } ?? ""
        return "postgres://\(user)\(password)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable"
    }

    private static func drop(_ name: String, admin: DatabaseConfiguration) async throws {
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}

extension EventRepository {
    /// Every event, oldest first.
    func all() async throws -> [Event] {
        var events: [Event] = []
        var cursor: Int64?
        repeat {
            let page = try await page(limit: 500, before: cursor, object: nil)
            events += page.events
            cursor = page.nextCursor
        } while cursor != nil
        return events.sorted { $0.id < $1.id }
    }
}
