import Foundation
import Logging
import PostgresCluster
import PostgresNIO
import Store
import Synchronization
import Testing

/// The one way tests get PostgreSQL: a fresh database per test, created on a server and dropped afterwards, so
/// tests never collide.
///
/// The server is the one `DATABASE_URL` (or `PGHOST`/`PGPORT`/...) names, as `scripts/with-postgres` sets; without
/// one, the first test that needs a database starts a throwaway cluster (``ThrowawayPostgres``) for the whole test
/// process, and it is stopped and deleted when the process exits. So `swift test --filter X` needs nothing but
/// the PostgreSQL server binaries. Locally, without binaries or a server, database tests are skipped with
/// ``skipReason``; under `CI=true` they run and fail.
///
/// ```swift
/// @Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
/// struct RevisionTests {
///     @Test func publishes() async throws {
///         try await TestDatabase.withFreshDatabase { store in ... }
///     }
/// }
/// ```
public enum TestDatabase {
    private static var environment: [String: String] { Repository.environment }

    /// The server named by the environment (`DATABASE_URL`, else `PGPORT` with `PGHOST`/`PGUSER`/...), or `nil`.
    public static var configuredServer: DatabaseConfiguration? {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try? DatabaseConfiguration(url: url) }
        guard let port = environment["PGPORT"].flatMap(Int.init) else { return nil }
        return DatabaseConfiguration(
            host: environment["PGHOST"] ?? "127.0.0.1", port: port, username: environment["PGUSER"] ?? "postgres",
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", sslMode: .disable)
    }

    /// The PostgreSQL server binaries are installed (a cluster can be started).
    public static var hasServerBinaries: Bool { (try? ThrowawayPostgres.locateBinaries()) != nil }

    /// Run the database tests: a server is configured or can be started, or CI insists (and they fail without one).
    public static var shouldRun: Bool { configuredServer != nil || hasServerBinaries || Repository.isCI }

    public static let skipReason: Comment =
        "needs PostgreSQL: install the server binaries (apt-get install -y postgresql), or set DATABASE_URL"

    /// Errors only: the tests' own output stays readable.
    public static var logger: Logger {
        var logger = Logger(label: "launchq.tests.database")
        logger.logLevel = .error
        return logger
    }

    /// Connections of each test database's pool: the scheduler, HTTP requests and the test itself share it.
    public static let poolSize = 8

    /// A fresh database (migrated unless `migrate` is false) for `body`, with a store whose pool runs; dropped after.
    /// Holds one of the ``TestSlots`` meanwhile.
    public static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        try await TestSlots.run { try await withFreshDatabaseHoldingSlot(migrate: migrate, body) }
    }

    private static func withFreshDatabaseHoldingSlot<Result: Sendable>(
        migrate: Bool,
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        let admin = try await server()
        let name = "launchq_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await execute("CREATE DATABASE \(name)", on: admin)
        var configuration = admin
        configuration.database = name
        configuration.pool.maximumConnections = poolSize
        let database = configuration
        do {
            let result = try await PostgresStore.withStore(database, logger: logger) { store in
                if migrate { _ = try await store.migrator.migrate() }
                return try await body(store, database)
            }
            try await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
            return result
        } catch {
            try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
            throw error
        }
    }

    /// ``withFreshDatabase(migrate:_:)`` for tests that need only the store.
    public static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        try await withFreshDatabase(migrate: migrate) { store, _ in try await body(store) }
    }

    /// `postgres://user[:password]@host:port/database?sslmode=disable`, for a child process's `DATABASE_URL`.
    public static func url(of configuration: DatabaseConfiguration) -> String {
        let password = configuration.password.map { ":\($0)" } ?? ""
        return "postgres://\(configuration.username)\(password)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable"
    }

    /// The server to create databases on: the configured one, else this process's own cluster (started once).
    public static func server() async throws -> DatabaseConfiguration {
        if let configured = configuredServer { return configured }
        return try await OwnCluster.shared.start()
    }

    /// One statement on the server's `postgres` database: CREATE and DROP DATABASE take no bound parameters (the
    /// names are generated hex, never user input).
    private static func execute(_ sql: String, on server: DatabaseConfiguration) async throws {
        var admin = server
        admin.pool.maximumConnections = 1
        _ = try await PostgresStore.withStore(admin, logger: logger) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}

/// The test process's own cluster: started by the first test that needs it, stopped and deleted at exit.
final class OwnCluster: Sendable {
    static let shared = OwnCluster()

    private let starting = Mutex<Task<DatabaseConfiguration, any Error>?>(nil)
    /// Read by the `atexit` handler, which can capture nothing.
    private static let started = Mutex<ThrowawayPostgres?>(nil)

    func start() async throws -> DatabaseConfiguration {
        let task = starting.withLock { task in
            if let task { return task }
            let made = Task<DatabaseConfiguration, any Error> {
                var configuration = ThrowawayPostgres.Configuration()
                configuration.directoryPrefix = "launchq-test-pg"
                let cluster = try await ThrowawayPostgres.start(configuration)
                Self.started.withLock { $0 = cluster }
                atexit { OwnCluster.started.withLock { $0?.stop() } }
                FileHandle.standardError.write(Data("TestDatabase: no DATABASE_URL, started PostgreSQL on 127.0.0.1:\(cluster.port) for this test run\n".utf8))
                return try DatabaseConfiguration(url: cluster.url)
            }
            task = made
            return made
        }
        return try await task.value
    }
}

extension PostgresStore {
    /// Runs a query and decodes the first column of each row.
    public func values<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        var result: [T] = []
        for try await value in try await client.query(query, logger: TestDatabase.logger).decode(T.self) {
            result.append(value)
        }
        return result
    }

    /// The number of rows in `table`.
    public func count(_ table: String) async throws -> Int {
        try await values(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table)"), as: Int.self).first ?? -1
    }
}

extension EventRepository {
    /// Every event, oldest first.
    public func all() async throws -> [Event] {
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
