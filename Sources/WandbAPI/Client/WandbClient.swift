import Foundation
import JSON
public import Logging

/// The W&B GraphQL client: typed reads and writes of run queues, teams, members, projects
/// and users, over one shared HTTP client, with retries where they are safe.
///
/// ```swift
/// let configuration = try WandbClient.Configuration(baseURL: "https://api.wandb.ai", apiKey: WandbAPIKey(key))
/// let client = WandbClient(configuration: configuration, logger: logger)
/// let queues = try await client.runQueues(inEntities: ["team-a", "team-b"])
/// ```
public final class WandbClient: Sendable {
    /// The settings the client was made with.
    public let configuration: Configuration
    /// What the client has sent so far.
    public let stats = RequestStats()

    let transport: any GraphQLTransport
    let logger: Logger
    let cache = ClientCache()

    /// - Parameters:
    ///   - configuration: server, key, timeouts, retries, batch size.
    ///   - transport: how requests travel; AsyncHTTPClient's shared client by default.
    ///   - logger: receives one debug line per attempt (never headers or the key).
    public init(
        configuration: Configuration,
        transport: any GraphQLTransport = HTTPGraphQLTransport(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// Runs one operation, retrying as its ``OperationKind`` allows, and returns the
    /// answer's `data` object.
    ///
    /// - Throws: ``WandbAPIError``: `unauthorized` for 401, `permissionDenied` for 403 or a GraphQL
    ///   permission error, `graphQL` for an answer with other `errors`, `http` for other statuses, `transport` when no answer came,
    ///   `deadlineExceeded` when ``Configuration/deadline`` passed, `decoding` for a body
    ///   that is not a GraphQL answer.
    public func execute(_ operation: GraphQLOperation, variables: [String: JSONValue] = [:]) async throws
        -> [String: JSONValue]
    {
        let answer = try await executeAllowingErrors(operation, variables: variables)
        guard answer.errors.isEmpty else {
            stats.recordFailure()
            throw answer.error(for: operation).redacting(configuration.apiKey.secret)
        }
        return answer.data
    }

    /// Like ``execute(_:variables:)``, but a 200 answer with both `data` and `errors` is
    /// returned, for callers that can tell harmless partial errors from real ones.
    /// - Parameter splittable: the request is a batch that could be sent in halves: a timeout or a 5xx answer
    ///   is thrown at once instead of retried at the same size.
    /// (Runs inside the operation's span: see ``executeAllowingErrors(_:variables:splittable:)`` in WandbClient+Tracing.)
    func executeAllowingErrorsWithoutSpan(_ operation: GraphQLOperation, variables: [String: JSONValue], splittable: Bool)
        async throws -> ExecutedAnswer
    {
        stats.recordOperation()
        do {
            return try await perform(operation, variables: variables, splittable: splittable)
        } catch let error as WandbAPIError {
            stats.recordFailure()
            throw error.redacting(configuration.apiKey.secret)
        } catch {
            stats.recordFailure()
            throw error
        }
    }

    private func perform(_ operation: GraphQLOperation, variables: [String: JSONValue], splittable: Bool) async throws
        -> ExecutedAnswer
    {
        let request = GraphQLHTTPRequest(
            url: configuration.endpointURL,
            headers: configuration.requestHeaders,
            body: GraphQLRequestBody(query: operation.document, variables: variables, operationName: operation.name).encoded()
        )
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.deadline)
        var attempt = 0
        var lastFailure: WandbAPIError?
        // Whether an earlier attempt of this mutation may have been applied (its answer was lost).
        var mayHaveApplied = false

        while true {
            attempt += 1
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw Self.deadlineError(
                    operation, attempts: attempt - 1, last: lastFailure, deadline: configuration.deadline,
                    mayHaveApplied: mayHaveApplied)
            }
            stats.recordRequest(operation.name, isRetry: attempt > 1)

            let outcome: RetryPolicy.Outcome
            let failure: WandbAPIError
            let attemptTimeout = min(configuration.requestTimeout, remaining)
            do {
                let response = try await transport.send(request, timeout: attemptTimeout, logger: logger)
                Self.noteAnswer(status: response.status)
                logger.debug(
                    "W&B request answered",
                    metadata: ["operation": "\(operation.name)", "attempt": "\(attempt)", "status": "\(response.status)"])
                switch try GraphQLAnswer.interpret(response, operation: operation, attempt: attempt) {
                case .data(let data, let errors):
                    return ExecutedAnswer(data: data, errors: errors, attempts: attempt, earlierAttemptMayHaveApplied: mayHaveApplied)
                case .failure(let error, let retryAfter):
                    failure = error
                    outcome = .status(error.httpStatus ?? 0, retryAfter: retryAfter)
                }
            } catch var error as WandbAPIError {
                // A refusal after a lost answer (e.g. "not found" for a delete that did happen)
                // does not prove the change was not made.
                if mayHaveApplied { error.outcomeUnknown = true }
                if error.operation == nil { error.operation = operation.name }
                error.attempts = max(error.attempts, attempt)
                throw error
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                if clock.now >= deadline {
                    throw Self.deadlineError(
                        operation, attempts: attempt, last: lastFailure, deadline: configuration.deadline,
                        mayHaveApplied: mayHaveApplied || operation.kind != .query)
                }
                logger.debug(
                    "W&B request failed without an answer",
                    metadata: ["operation": "\(operation.name)", "attempt": "\(attempt)", "error": "\(error)"])
                let reason = error is GraphQLTransportTimeout ? "\(WandbAPIError.timeoutMarker) \(attemptTimeout)" : "\(error)"
                failure = WandbAPIError(
                    code: .transport,
                    message: "no answer from \(configuration.endpointURL): \(reason)",
                    operation: operation.name,
                    attempts: attempt,
                    outcomeUnknown: operation.kind != .query
                )
                outcome = .transportFailure
            }
            lastFailure = failure
            if failure.outcomeUnknown { mayHaveApplied = true }
            // A batch that timed out or broke the server is read in halves rather than sent again as it is.
            if splittable, failure.suggestsSmallerBatch { throw failure }

            switch configuration.retry.decide(after: outcome, attempt: attempt, kind: operation.kind, random: .random(in: 0..<1)) {
            case .giveUp:
                throw failure
            case .retry(let wait):
                guard clock.now.advanced(by: wait) < deadline else {
                    throw Self.deadlineError(
                        operation, attempts: attempt, last: failure, deadline: configuration.deadline,
                        mayHaveApplied: mayHaveApplied)
                }
                logger.debug(
                    "W&B request will be retried",
                    metadata: ["operation": "\(operation.name)", "attempt": "\(attempt)", "wait": "\(wait)"])
                try await Task.sleep(for: wait)
            }
        }
    }

    private static func deadlineError(
        _ operation: GraphQLOperation, attempts: Int, last: WandbAPIError?, deadline: Duration, mayHaveApplied: Bool
    ) -> WandbAPIError {
        var message = "gave up after \(deadline)"
        if let last { message += "; last failure: \(last.message)" }
        return WandbAPIError(
            code: .deadlineExceeded,
            message: message,
            operation: operation.name,
            httpStatus: last?.httpStatus,
            graphQLMessages: last?.graphQLMessages ?? [],
            attempts: attempts,
            outcomeUnknown: mayHaveApplied
        )
    }
}

/// One operation's answer after retries.
struct ExecutedAnswer: Sendable {
    var data: [String: JSONValue]
    var errors: [GraphQLErrorEntry]
    var attempts: Int
    /// Whether an attempt before the answered one may have applied the mutation.
    var earlierAttemptMayHaveApplied: Bool

    /// The `graphQL` error for this answer's `errors`.
    func error(for operation: GraphQLOperation) -> WandbAPIError {
        var error = GraphQLAnswer.graphQLError(errors, operation: operation, attempt: attempts)
        error.outcomeUnknown = earlierAttemptMayHaveApplied
        return error
    }
}
