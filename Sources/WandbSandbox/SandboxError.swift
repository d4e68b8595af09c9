/// An error the sandbox reports to a GraphQL caller (as an entry of the `errors` array) or to its host.
///
/// Follows the extensible-error idiom: compare errors by ``code``; the message is what a client sees.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    /// A stable, comparable error category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notFound = "NOT_FOUND"
            case alreadyExists = "ALREADY_EXISTS"
            case permissionDenied = "PERMISSION_DENIED"
            case invalidInput = "INVALID_INPUT"
            case invalidState = "INVALID_STATE"
            case invalidFaultSpec = "INVALID_FAULT_SPEC"
            case storage = "STORAGE"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A referenced entity, project, queue, user, invite or key does not exist.
        public static let notFound = Code(.notFound)
        /// A create would duplicate a name that must be unique.
        public static let alreadyExists = Code(.alreadyExists)
        /// The caller is not allowed to do this.
        public static let permissionDenied = Code(.permissionDenied)
        /// An argument is malformed (bad JSON, empty name, unknown resource type, ...).
        public static let invalidInput = Code(.invalidInput)
        /// The state file could not be read.
        public static let invalidState = Code(.invalidState)
        /// A `--faults` specification could not be parsed.
        public static let invalidFaultSpec = Code(.invalidFaultSpec)
        /// The state file could not be written.
        public static let storage = Code(.storage)

        public var description: String { base.rawValue }
    }

    /// The category.
    public var code: Code
    /// A human-readable explanation; never contains an API key.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone: GraphQLSwift renders a resolver error with `String(describing:)`.
    public var description: String { message }

    static func notFound(_ message: String) -> SandboxError { SandboxError(.notFound, message) }
    static func alreadyExists(_ message: String) -> SandboxError { SandboxError(.alreadyExists, message) }
    static func permissionDenied(_ message: String) -> SandboxError { SandboxError(.permissionDenied, message) }
    static func invalidInput(_ message: String) -> SandboxError { SandboxError(.invalidInput, message) }
}
