import JSON

/// A parsed YAML or JSON value with the place it was written.
///
/// The loader turns every document into a tree of nodes; validation reads them and reports
/// problems at their ``location``.
public struct Node: Sendable {
    /// What the node holds.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case integer(Int)
        case number(Double)
        case string(String)
        case sequence([Node])
        case mapping([Entry])
    }

    /// One key and value of a mapping, with where the key was written.
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: Node

        public init(key: String, keyLocation: SourceLocation, value: Node) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Node {
    /// The entries when this is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    /// The string when this is a string.
    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The value of `key` when this is a mapping that has it.
    public subscript(key: String) -> Node? {
        entries?.first { $0.key == key }?.value
    }

    /// The user's word for the node's type, for messages.
    public var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .sequence: "list"
        case .mapping: "mapping"
        }
    }

    /// The value without source positions.
    public var json: JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .sequence(let items): .array(items.map(\.json))
        case .mapping(let entries):
            .object(Dictionary(entries.map { ($0.key, $0.value.json) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}
