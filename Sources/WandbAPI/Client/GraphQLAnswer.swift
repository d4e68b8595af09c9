/// How one HTTP answer is read: pure, no I/O.
enum GraphQLAnswer {
    /// What an answer means for the caller.
    enum Reading {
        /// A 200 with `data` and no `errors`.
        case data([String: JSONValue])
        /// A failure, with the server's `Retry-After` wait if it sent one.
        case failure(WandbAPIError, retryAfter: Duration?)
    }

    /// Reads an answer. A 200 with a body that is not a GraphQL answer throws `decoding`
    /// (not retried); everything else is returned for the retry policy to judge.
    static func interpret(_ response: GraphQLHTTPResponse, operation: GraphQLOperation, attempt: Int) throws -> Reading {
        let body = try? JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
        let messages = errorMessages(in: body)
        let mayHaveApplied = operation.kind != .query

        if response.status == 200 {
            guard let body, case .object(let members) = body else {
                throw WandbAPIError(
                    code: .decoding, message: "the answer is not a JSON object", operation: operation.name,
                    httpStatus: 200, attempts: attempt)
            }
            if !messages.isEmpty {
                throw WandbAPIError(
                    code: .graphQL, message: messages.joined(separator: "; "), operation: operation.name,
                    httpStatus: 200, graphQLMessages: messages, attempts: attempt)
            }
            guard case .object(let data)? = members["data"] else {
                throw WandbAPIError(
                    code: .decoding, message: "the answer has no data object", operation: operation.name,
                    httpStatus: 200, attempts: attempt)
            }
            return .data(data)
        }

        let summary = messages.isEmpty ? "HTTP \(response.status)" : messages.joined(separator: "; ")
        if response.status == 401 || response.status == 403 {
            throw WandbAPIError(
                code: .unauthorized, message: "the server refused the API key: \(summary)", operation: operation.name,
                httpStatus: response.status, graphQLMessages: messages, attempts: attempt)
        }
        let error = WandbAPIError(
            code: .http, message: summary, operation: operation.name, httpStatus: response.status,
            graphQLMessages: messages, attempts: attempt,
            outcomeUnknown: mayHaveApplied && response.status >= 500)
        return .failure(error, retryAfter: RetryAfter.wait(in: response.headerValues("Retry-After")))
    }

    /// The `message`s of a GraphQL `errors` list, prefixed with their `path` when present.
    static func errorMessages(in body: JSONValue?) -> [String] {
        guard let errors = body?["errors"]?.arrayValue else { return [] }
        return errors.map { error in
            let message = error["message"]?.stringValue ?? error.jsonText
            let path = error["path"]?.arrayValue?.map { $0.stringValue ?? "\($0.intValue ?? 0)" }
            if let path, !path.isEmpty { return "\(path.joined(separator: ".")): \(message)" }
            return message
        }
    }
}
