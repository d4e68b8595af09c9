import Foundation
import Logging
import PostgresNIO
import Store
import TestSupport
import Testing

/// The throwaway PostgreSQL of `scripts/with-postgres` (PGHOST/PGPORT/... or DATABASE_URL): a fresh database per
/// test. Under `CI=true` a missing server is a failure, not a skip.
enum TestDatabase {
    static var shouldRun: Bool { TemporaryDatabase.shouldRun }
    static var environment: [String: String] { TemporaryDatabase.environment }
    static let skipReason = Comment(rawValue: TemporaryDatabase.skipReason)

    static var logger: Logger {
        var logger = Logger(label: "launchq.adminserver.tests")
        logger.logLevel = .error
        return logger
    }

    /// A fresh database for one test (see `TemporaryDatabase`); dropped afterwards.
    static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        try await TemporaryDatabase.withFresh(prefix: "launchq_admin_", migrate: migrate, maximumConnections: 8, logger: logger) { store, database in
            try await body(store, database)
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
