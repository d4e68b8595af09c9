/// Identifies a managed object: its kind (`RunQueue`, `Team`, `User`, `Project`) and identity within the kind.
public struct ObjectKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: String
    public var identity: String

    public init(kind: String, identity: String) {
        self.kind = kind
        self.identity = identity
    }

    public var description: String { "\(kind) '\(identity)'" }
}
