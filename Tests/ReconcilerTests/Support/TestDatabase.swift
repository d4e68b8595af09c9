import Foundation
import Logging
import PostgresNIO
import Store
import TestSupport
import Testing

/// A fresh, migrated PostgreSQL database per test, on the server `scripts/with-postgres` starts
/// (DATABASE_URL or PGHOST/PGPORT/...). Under `CI=true` a missing server fails the test.
enum TestDatabase {
    static var shouldRun: Bool { TemporaryDatabase.shouldRun }
    static func url(of configuration: DatabaseConfiguration) -> String { TemporaryDatabase.url(of: configuration) }
    static let skipReason = Comment(rawValue: TemporaryDatabase.skipReason)

    static var logger: Logger {
        var logger = Logger(label: "launchq.reconciler.tests")
        logger.logLevel = .error
        return logger
    }

    /// A fresh database for one test (see `TemporaryDatabase`); dropped afterwards.
    static func withFreshDatabase<Result: Sendable>(
        _ body: @Sendable (PostgresStore, DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        try await TemporaryDatabase.withFresh(prefix: "launchq_e2e_", migrate: true, maximumConnections: 4, logger: logger) { store, database in
            try await body(store, database)
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
