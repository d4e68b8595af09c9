import Foundation
import Logging
import PostgresNIO
import Store

/// A fresh PostgreSQL database per test, created on the server `scripts/with-postgres` starts
/// (`DATABASE_URL`, or `PGHOST`/`PGPORT`/...), and dropped afterwards, so suites never collide.
/// The test targets' `TestDatabase` helpers wrap it.
public enum TemporaryDatabase {
    public static let environment = ProcessInfo.processInfo.environment

    /// Whether this run is CI (`CI=true`): then a missing server fails tests instead of skipping them.
    public static var isCI: Bool { ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "") }

    /// The server the tests may create databases on, or `nil` when none is configured.
    public static var adminConfiguration: DatabaseConfiguration? {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try? DatabaseConfiguration(url: url) }
        guard let port = environment["PGPORT"].flatMap(Int.init) else { return nil }
        return DatabaseConfiguration(
            host: environment["PGHOST"] ?? "127.0.0.1", port: port, username: environment["PGUSER"] ?? "postgres",
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", sslMode: .disable)
    }

    /// Run the database suites: a server is configured, or CI insists (and they fail without one).
    public static var shouldRun: Bool { adminConfiguration != nil || isCI }

    public static let skipReason = "needs PostgreSQL: run under scripts/with-postgres (or set DATABASE_URL)"

    /// Creates an empty database named `prefix` + random hex (migrated when `migrate`), runs `body` with a store
    /// on it (pool running) and its configuration, then drops it.
    public static func withFresh<Result: Sendable>(
        prefix: String, migrate: Bool, maximumConnections: Int, logger: Logger,
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        guard let admin = adminConfiguration else {
            throw StoreError(code: .unreachable, message: "no PostgreSQL configured: \(skipReason)")
        }
        let name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            // A generated identifier (hex only), not user input; CREATE DATABASE cannot take a bound parameter.
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var configuration = admin
        configuration.database = name
        configuration.pool.maximumConnections = maximumConnections
        let database = configuration
        do {
            let result = try await PostgresStore.withStore(database, logger: logger) { store in
                if migrate { _ = try await store.migrator.migrate() }
                return try await body(store, database)
            }
            try await drop(name, admin: admin, logger: logger)
            return result
        } catch {
            try? await drop(name, admin: admin, logger: logger)
            throw error
        }
    }

    /// `postgres://user[:password]@host:port/database?sslmode=disable`, for a child process's `--database-url`.
    public static func url(of configuration: DatabaseConfiguration) -> String {
        let password = configuration.password.map { ":\($0)" } ?? ""
        return "postgres://\(configuration.username)\(password)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable"
    }

    private static func drop(_ name: String, admin: DatabaseConfiguration, logger: Logger) async throws {
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}
