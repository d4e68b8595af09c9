import Synchronization

/// Runs work with a time limit that holds even when the work does not end when cancelled.
///
/// PostgresNIO leaves a query waiting forever in some states (a request queued on a pool whose connections
/// died, a query written to a connection that is closing): cancelling it is not enough, because structured
/// concurrency waits for the cancelled child. Here the work runs in its own task; at the limit the caller gets
/// `onTimeout()` and the work is cancelled and left to end on its own (its result, if any, is dropped).
public enum OperationDeadline {
    /// Returns `operation`'s result, or throws `onTimeout()` once `limit` has passed, or `CancellationError`
    /// when the calling task is cancelled first. Never waits longer than `limit`.
    public static func run<T: Sendable>(
        _ limit: Duration, onTimeout: @escaping @Sendable () -> any Error, operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, limit: limit, onTimeout: onTimeout, operation: operation)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The work and the timer; whichever ends first answers, once; the other is cancelled.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var early: Result<T, any Error>?
            var tasks: [Task<Void, Never>] = []
        }
        private let state = Mutex(State())

        func start(
            _ continuation: CheckedContinuation<T, any Error>, limit: Duration, onTimeout: @escaping @Sendable () -> any Error,
            operation: @escaping @Sendable () async throws -> T
        ) {
            // Cancelled before it started: answer at once, start nothing.
            if let early = state.withLock({ state -> Result<T, any Error>? in
                if state.early == nil { state.continuation = continuation }
                return state.early
            }) {
                continuation.resume(with: early)
                return
            }
            let work = Task {
                do { self.finish(.success(try await operation())) } catch { self.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                self.finish(.failure(onTimeout()))
            }
            let finished = state.withLock { state -> Bool in
                state.tasks = [work, timer]
                return state.continuation == nil
            }
            if finished { work.cancel(); timer.cancel() }
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, tasks) = state.withLock { state in
                if state.continuation == nil, state.tasks.isEmpty, state.early == nil { state.early = result }
                defer { state.continuation = nil }
                return (state.continuation, state.tasks)
            }
            guard let continuation else { return }
            continuation.resume(with: result)
            for task in tasks { task.cancel() }
        }
    }
}
