import NIOCore
import PostgresNIO
import Synchronization

/// Runs work with a time limit that holds even when the work does not end when cancelled.
///
/// PostgresNIO leaves a query waiting forever in some states (a request queued on a pool whose connections
/// died, a query written to a connection that is closing): cancelling it is not enough, because structured
/// concurrency waits for the cancelled child. Here the work runs in its own task; at the limit the caller gets
/// `onTimeout()` and the work is cancelled and left to end on its own (its result, if any, is dropped).
///
/// The timer is an event loop's scheduled task, removed from the loop when the work ends first: a cancelled
/// `Task.sleep` keeps its timer (and its task) until the deadline on Linux, so with a 10 s limit every database
/// call held ~500 bytes for 10 s — tens of thousands at once during a large apply (issue 13).
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
            var work: Task<Void, Never>?
            var timer: Scheduled<Void>?
            var started = false
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
            let timer = PostgresClient.defaultEventLoopGroup.any().scheduleTask(in: .nanoseconds(Self.nanoseconds(limit))) {
                self.finish(.failure(onTimeout()))
            }
            // Kept only while the race is on: the timer's closure holds this race, so keeping it after the end would
            // be a cycle.
            let finished = state.withLock { state -> Bool in
                state.started = true
                guard state.continuation != nil else { return true }
                (state.work, state.timer) = (work, timer)
                return false
            }
            if finished { work.cancel(); timer.cancel() }
        }

        /// `limit` in nanoseconds, at least 0 and at most `Int64.max`.
        static func nanoseconds(_ limit: Duration) -> Int64 {
            let (seconds, attoseconds) = limit.components
            guard seconds >= 0 else { return 0 }
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, work, timer) = state.withLock { state in
                if state.continuation == nil, !state.started, state.early == nil { state.early = result }
                defer { (state.continuation, state.work, state.timer) = (nil, nil, nil) }
                return (state.continuation, state.work, state.timer)
            }
            guard let continuation else { return }
            continuation.resume(with: result)
            work?.cancel()
            timer?.cancel()
        }
    }
}
