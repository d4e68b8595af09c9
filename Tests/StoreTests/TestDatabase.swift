import Foundation
import Logging
import PostgresNIO
import Store
import TestSupport
import Testing

/// Access to the throwaway PostgreSQL started by `scripts/with-postgres` (PGHOST/PGPORT/... or DATABASE_URL).
///
/// Every test gets its own freshly created database, so suites never collide. Under `CI=true` a missing
/// server is a failure, not a skip.
enum TestDatabase {
    static var shouldRun: Bool { TemporaryDatabase.shouldRun }
    static let skipReason = Comment(rawValue: TemporaryDatabase.skipReason)

    static var logger: Logger {
        var logger = Logger(label: "launchq.store.tests")
        logger.logLevel = .error
        return logger
    }

    /// A fresh database for one test (see `TemporaryDatabase`); dropped afterwards.
    static func withFreshDatabase<Result: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        try await TemporaryDatabase.withFresh(prefix: "launchq_test_", migrate: migrate, maximumConnections: 4, logger: logger) { store, database in
            try await body(store)
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
