import Hummingbird
import Store

/// Answers within a time limit even when the work below does not (a connection pool waiting for a database
/// that is down keeps a request forever): the caller gets ``APIError/Code/unavailable`` (503) and the work is
/// cancelled and left to end on its own (``OperationDeadline``, the store's one way to bound a call).
enum Deadline {
    /// How long a request may wait for the database.
    static let database: Duration = .seconds(10)

    static func run<T: Sendable>(
        _ limit: Duration = Deadline.database, what: String = "the database", operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await OperationDeadline.run(
            limit, onTimeout: { APIError(.unavailable, status: .serviceUnavailable, message: "\(what) did not answer within \(limit.formatted())") },
            operation: operation)
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
