import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// Access to the throwaway PostgreSQL started by `scripts/with-postgres` (PGHOST/PGPORT/... or DATABASE_URL).
///
/// Every test gets its own freshly created database, so suites never collide. Under `CI=true` a missing
/// server is a failure, not a skip.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static var isCI: Bool { ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "") }

    /// The server the tests may create databases on, or `nil` when none is configured.
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
        var logger = Logger(label: "launchq.store.tests")
        logger.logLevel = .error
        return logger
    }

    /// Creates an empty database, runs `body` with a store on it (pool running), then drops the database.
    static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        guard let admin = adminConfiguration else {
            throw StoreError(code: .unreachable, message: "CI=true but no PostgreSQL configured: \(skipReason)")
        }
        let name = "launchq_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            // A generated identifier (hex only), not user input; CREATE DATABASE cannot take a bound parameter.
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var configuration = admin
        configuration.database = name
        configuration.pool.maximumConnections = 4
        do {
            let result = try await PostgresStore.withStore(configuration, logger: logger) { store in
                if migrate { try await store.migrator.migrate() }
                return try await body(store)
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
    /// Test helper: runs a query and decodes the first column of each row.
    func values<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        var result: [T] = []
        for try await value in try await client.query(query, logger: TestDatabase.logger).decode(T.self) {
            result.append(value)
        }
        return result
    }

    func count(_ table: String) async throws -> Int {
        try await values(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table)"), as: Int.self).first ?? -1
    }
}

/// Runs `body` and returns the ``StoreError`` it throws (recording an issue if it throws nothing or something else).
func storeError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(type(of: error))", sourceLocation: sourceLocation)
        return nil
    }
}
