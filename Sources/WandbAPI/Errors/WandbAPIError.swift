/// An error from the W&B client, with a stable ``Code`` to switch on and the server's
/// messages. It never carries the API key: messages are scrubbed of it before they are stored.
public struct WandbAPIError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A stable error code (SSWG extensible-error idiom: new codes can be added without
    /// breaking callers that switch with a `default`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unauthorized, graphQL, http, transport, deadlineExceeded, decoding, configuration, mutationFailed,
                unsupported, permissionDenied
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server refused the credentials (HTTP 401, or no viewer for the key).
        public static let unauthorized = Code(.unauthorized)
        /// The server answered 200 with GraphQL `errors`.
        public static let graphQL = Code(.graphQL)
        /// The server answered a non-200 status that was not retried or kept failing.
        public static let http = Code(.http)
        /// The request did not get an HTTP answer (connection refused, reset, per-attempt timeout).
        public static let transport = Code(.transport)
        /// The operation's total deadline passed before it succeeded.
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// The answer was not the JSON the operation expects.
        public static let decoding = Code(.decoding)
        /// The client was configured wrongly (missing URL or key, bad URL, bad key file).
        public static let configuration = Code(.configuration)
        /// A mutation answered `success: false` (or no payload).
        public static let mutationFailed = Code(.mutationFailed)
        /// The server lacks something the operation needs (e.g. a mutation).
        public static let unsupported = Code(.unsupported)
        /// The key is valid but its user may not do this (HTTP 403, or a GraphQL permission error): the
        /// message names the operation and the role it needs.
        public static let permissionDenied = Code(.permissionDenied)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line human summary.
    public var message: String
    /// The GraphQL operation that failed (e.g. `UpsertRunQueue`), if any.
    public var operation: String?
    /// The HTTP status of the last answer, if there was one.
    public var httpStatus: Int?
    /// The GraphQL error messages the server sent, in order.
    public var graphQLMessages: [String]
    /// How many HTTP attempts were made.
    public var attempts: Int
    /// For a mutation: `true` when the outcome is unknown (the request may have been applied
    /// although it failed, e.g. a 5xx or a dropped connection after sending). Read before retrying.
    public var outcomeUnknown: Bool

    /// Creates an error.
    public init(
        code: Code,
        message: String,
        operation: String? = nil,
        httpStatus: Int? = nil,
        graphQLMessages: [String] = [],
        attempts: Int = 0,
        outcomeUnknown: Bool = false
    ) {
        self.code = code
        self.message = message
        self.operation = operation
        self.httpStatus = httpStatus
        self.graphQLMessages = graphQLMessages
        self.attempts = attempts
        self.outcomeUnknown = outcomeUnknown
    }

    public var description: String {
        var text = "W&B API error [\(code)]"
        if let operation { text += " in \(operation)" }
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        text += ": \(message)"
        if !graphQLMessages.isEmpty, graphQLMessages != [message] {
            text += " — " + graphQLMessages.joined(separator: "; ")
        }
        if attempts > 1 { text += " [after \(attempts) attempts]" }
        if outcomeUnknown { text += " [outcome unknown: the change may have been applied]" }
        return text
    }

    public var debugDescription: String { description }

    /// A copy with every occurrence of `secret` replaced by `<redacted>`.
    func redacting(_ secret: String) -> WandbAPIError {
        guard !secret.isEmpty else { return self }
        var copy = self
        copy.message = message.replacing(secret, with: "<redacted>")
        copy.graphQLMessages = graphQLMessages.map { $0.replacing(secret, with: "<redacted>") }
        return copy
    }
}
