import Synchronization

/// Opens once the store's connection pool runs; database calls wait for it.
///
/// PostgresNIO's `PostgresClient` logs a warning ("Trying to lease connection … `run()` hasn't been called yet")
/// when a connection is leased before its `run()` started. In a `ServiceGroup` the store's `run()` and its first
/// users (the migration before the port opens, the scheduler taking the lease) start concurrently, and in
/// ``PostgresStore/withStore(_:logger:_:)`` the body can be faster than the task running the pool: so every
/// call waits here first. The pool's `run()` is entered right after ``open()``, in the same task and without a
/// suspension in between, so a waiter resumed by ``open()`` finds it running.
final class PoolStart: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }
    private let state = Mutex(State())

    /// Whether ``open()`` was called.
    var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Lets every waiter (and every later caller of ``wait()``) through.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once ``open()`` was called; throws `CancellationError` when the caller is cancelled first
    /// (a database call that reached its deadline).
    func wait() async throws {
        if state.withLock({ $0.isOpen }) { return }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if state.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
