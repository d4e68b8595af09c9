import JSON

/// How one HTTP answer is read: pure, no I/O.
enum GraphQLAnswer {
    /// What an answer means for the caller.
    enum Reading {
        /// A 200 with a `data` object, and the `errors` that came with it (partial results).
        case data([String: JSONValue], errors: [GraphQLErrorEntry])
        /// A failure, with the server's `Retry-After` wait if it sent one.
        case failure(WandbAPIError, retryAfter: Duration?)
    }

    /// Reads an answer. A 200 with a body that is not a GraphQL answer throws `decoding`, a 200
    /// with `errors` and no `data` throws `graphQL` (`permissionDenied` for a permission refusal), 401 throws
    /// `unauthorized`, 403 `permissionDenied` (none of them retried); other statuses are returned for the retry
    /// policy to judge.
    static func interpret(_ response: GraphQLHTTPResponse, operation: GraphQLOperation, attempt: Int) throws -> Reading {
        let body = try? JSONValue(parsing: response.body)
        let entries = errorEntries(in: body)
        let messages = entries.map(\.text)
        let mayHaveApplied = operation.kind != .query

        if response.status == 200 {
            guard let body, case .object(let members) = body else {
                throw WandbAPIError(
                    code: .decoding, message: "the answer is not a JSON object", operation: operation.name,
                    httpStatus: 200, attempts: attempt)
            }
            guard case .object(let data)? = members["data"] else {
                if !messages.isEmpty { throw graphQLError(entries, operation: operation, attempt: attempt) }
                throw WandbAPIError(
                    code: .decoding, message: "the answer has no data object", operation: operation.name,
                    httpStatus: 200, attempts: attempt)
            }
            return .data(data, errors: entries)
        }

        let summary = messages.isEmpty ? "HTTP \(response.status)" : messages.joined(separator: "; ")
        if response.status == 403 {
            // The key was accepted; its user may not do this (e.g. createTeam by a non-admin, wandb/docs#2863).
            throw WandbAPIError.permissionDenied(
                operation: operation.name, httpStatus: 403, messages: messages, attempts: attempt)
        }
        if response.status == 401 {
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

    /// The `graphQL` error for a 200 answer with these errors.
    static func graphQLError(_ entries: [GraphQLErrorEntry], operation: GraphQLOperation, attempt: Int) -> WandbAPIError {
        let messages = entries.map(\.text)
        if entries.contains(where: { WandbAPIError.isPermissionMessage($0.message) }) {
            return WandbAPIError.permissionDenied(operation: operation.name, httpStatus: 200, messages: messages, attempts: attempt)
        }
        return WandbAPIError(
            code: .graphQL, message: messages.joined(separator: "; "), operation: operation.name,
            httpStatus: 200, graphQLMessages: messages, attempts: attempt)
    }

    /// The entries of a GraphQL `errors` list.
    static func errorEntries(in body: JSONValue?) -> [GraphQLErrorEntry] {
        guard let errors = body?["errors"]?.array else { return [] }
        return errors.map { error in
            GraphQLErrorEntry(
                message: error["message"]?.string ?? CanonicalJSON.string(error),
                path: error["path"]?.array?.map { $0.string ?? "\($0.int ?? 0)" } ?? [])
        }
    }
}

/// One entry of a GraphQL answer's `errors`.
struct GraphQLErrorEntry: Sendable, Hashable {
    var message: String
    /// The response path (`["p3", "edges"]`); empty when the server gave none.
    var path: [String]

    /// `path: message`, or the message alone.
    var text: String { path.isEmpty ? message : "\(path.joined(separator: ".")): \(message)" }
}
