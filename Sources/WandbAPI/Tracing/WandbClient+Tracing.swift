import JSON
import Tracing

extension WandbClient {
    /// The span of the W&B request running in this task, so the retry loop can note the HTTP status it got.
    @TaskLocal static var requestSpan: (any Span)?

    /// Notes an attempt's HTTP status on the request's span (the last attempt's stays).
    static func noteAnswer(status: Int) {
        requestSpan?.attributes["http.response.status_code"] = status
    }

    /// Like ``executeAllowingErrors(_:variables:splittable:)`` without a span, inside one client span named after
    /// the GraphQL operation (`ReadEntities`, `UpsertRunQueue`, ...).
    ///
    /// The span holds the operation kind, the attempts, the last HTTP status and, on failure, the error code: never
    /// the variables, the document, the URL or a header (the API key travels in one).
    func executeAllowingErrors(_ operation: GraphQLOperation, variables: [String: JSONValue], splittable: Bool = false)
        async throws -> ExecutedAnswer
    {
        try await withSpan(operation.name, ofKind: .client) { span in
            span.attributes["wandb.operation.kind"] = "\(operation.kind)"
            span.attributes["wandb.batch"] = splittable
            do {
                let answer = try await Self.$requestSpan.withValue(span) {
                    try await executeAllowingErrorsWithoutSpan(operation, variables: variables, splittable: splittable)
                }
                span.attributes["wandb.attempts"] = answer.attempts
                if !answer.errors.isEmpty { span.attributes["wandb.graphql_errors"] = answer.errors.count }
                return answer
            } catch let error as WandbAPIError {
                // Only the code and numbers: the message may quote the server's answer.
                span.attributes["wandb.error.code"] = "\(error.code)"
                span.attributes["wandb.attempts"] = error.attempts
                if let status = error.httpStatus { span.attributes["http.response.status_code"] = status }
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }
}
