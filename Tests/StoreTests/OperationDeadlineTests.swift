import Foundation
import Logging
import Store
import Synchronization
import Testing

/// Every database call has a deadline that holds even when the driver never answers (issue 16: a query written to
/// a connection that had just closed waited forever, and cancelling it did not help).
@Suite("Operation deadlines")
struct OperationDeadlineTests {
    /// Work that ignores cancellation and ends only when `release()` is called (as PostgresNIO's query on a closed
    /// channel did, except that one never ended at all).
    final class Stuck: Sendable {
        private let waiter = Mutex<CheckedContinuation<Void, Never>?>(nil)
        private let released = Mutex(false)

        func wait() async {
            await withCheckedContinuation { continuation in
                let now = released.withLock { released -> Bool in
                    if !released { waiter.withLock { $0 = continuation } }
                    return released
                }
                if now { continuation.resume() }
            }
        }

        func release() {
            released.withLock { $0 = true }
            waiter.withLock { $0.take() }?.resume()
        }
    }

    struct TimedOut: Error {}

    @Test func workThatIgnoresCancellationStillEndsAtTheLimit() async throws {
        let stuck = Stuck()
        defer { stuck.release() }
        let started = ContinuousClock.now
        await #expect(throws: TimedOut.self) {
            try await OperationDeadline.run(.milliseconds(300), onTimeout: { TimedOut() }) {
                await stuck.wait()
                return 1
            }
        }
        let elapsed = ContinuousClock.now - started
        // The failure this catches waits forever; 30 s leaves a loaded 2-core machine all the room it needs.
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(30), "\(elapsed)")
    }

    @Test func cancellingTheCallerEndsItAtOnce() async throws {
        let stuck = Stuck()
        defer { stuck.release() }
        let started = ContinuousClock.now
        let task = Task {
            try await OperationDeadline.run(.seconds(60), onTimeout: { TimedOut() }) {
                await stuck.wait()
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The failure this catches waits out the 60 s limit.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func aResultBeforeTheLimitIsReturned() async throws {
        let value = try await OperationDeadline.run(.seconds(5), onTimeout: { TimedOut() }) { 42 }
        #expect(value == 42)
        await #expect(throws: TimedOut.self) {
            try await OperationDeadline.run(.seconds(5), onTimeout: { TimedOut() }) { () async throws -> Int in throw TimedOut() }
        }
    }

    /// The pool queues requests while it cannot connect (for up to a minute); a store call gives up after
    /// ``DatabaseConfiguration/Pool/operationTimeout`` with `unreachable`, naming host and port.
    @Test func aStoreCallOnAnUnreachableDatabaseFailsAfterTheOperationTimeout() async throws {
        let port = try closedPort()
        var configuration = try DatabaseConfiguration(url: "postgres://launchq:hunter2@127.0.0.1:\(port)/launchq?sslmode=disable")
        configuration.pool.operationTimeout = .milliseconds(700)
        let store = try PostgresStore(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let started = ContinuousClock.now
        let outcome: Result<Int, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await store.run() }
            defer { group.cancelAll() }
            do {
                return .success(try await store.objects.list().count)
            } catch {
                return .failure(error)
            }
        }
        let elapsed = ContinuousClock.now - started
        guard case .failure(let error as StoreError) = outcome else {
            Issue.record("expected a StoreError, got \(outcome)")
            return
        }
        #expect(error.code == .unreachable)
        #expect(error.message.contains("127.0.0.1:\(port)") && !error.message.contains("hunter2"), "\(error.message)")
        // The failure this catches waits the pool's minute.
        #expect(elapsed < .seconds(30), "waited \(elapsed)")
    }
}
