import Hummingbird
import Synchronization

/// Answers within a time limit even when the work below does not (a connection pool waiting for a database
/// that is down keeps a request forever): the caller gets ``APIError/Code/unavailable`` (503) and the work is
/// cancelled in the background.
enum Deadline {
    /// How long a request may wait for the database.
    static let database: Duration = .seconds(10)

    static func run<T: Sendable>(
        _ limit: Duration = Deadline.database, what: String = "the database", operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, limit: limit, what: what, operation: operation)
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// The work and the timer; whichever ends first answers, once.
    private final class Race<T: Sendable>: Sendable {
        private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
        private let tasks = Mutex<[Task<Void, Never>]>([])

        func start(
            _ continuation: CheckedContinuation<T, any Error>, limit: Duration, what: String, operation: @escaping @Sendable () async throws -> T
        ) {
            self.continuation.withLock { $0 = continuation }
            let work = Task {
                do { self.finish(.success(try await operation())) } catch { self.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                self.finish(.failure(APIError(.unavailable, status: .serviceUnavailable, message: "\(what) did not answer within \(limit.formatted())")))
            }
            tasks.withLock { $0 = [work, timer] }
        }

        func finish(_ result: Result<T, any Error>) {
            guard let continuation = continuation.withLock({ $0.take() }) else { return }
            continuation.resume(with: result)
            cancel()
        }

        func cancel() {
            for task in tasks.withLock({ $0 }) { task.cancel() }
        }
    }
}

extension AdminServer {
    /// A route handler that answers 503 when it takes longer than ``Deadline/database``.
    static func timed(
        _ handler: @escaping @Sendable (Request, AdminRequestContext) async throws -> Response
    ) -> @Sendable (Request, AdminRequestContext) async throws -> Response {
        { request, context in try await Deadline.run(operation: { try await handler(request, context) }) }
    }
}
