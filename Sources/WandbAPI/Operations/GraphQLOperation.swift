/// One GraphQL operation the client sends: its name (sent as `operationName`), its document
/// and how it may be retried.
public struct GraphQLOperation: Sendable, Hashable, CustomStringConvertible {
    /// The operation's name in the document, also sent as `operationName`.
    public let name: String
    /// The GraphQL document text.
    public let document: String
    /// How the operation may be retried.
    public let kind: OperationKind

    public init(name: String, kind: OperationKind, document: String) {
        self.name = name
        self.kind = kind
        self.document = document
    }

    public var description: String { "\(kind) \(name)" }
}
