/// Reads the fields of one mapping in the launchq schema, reporting unknown, missing and mistyped fields.
struct FieldReader {
    let node: Node
    let path: JSONPointer
    private let entries: [Node.Entry]

    /// Checks that `node` is a mapping whose keys are all in `known`; reports the rest with a hint.
    init?(_ node: Node, path: JSONPointer, known: [String], what: String, sink: inout DiagnosticSink) {
        guard let entries = node.entries else {
            sink.error(.fieldType, "\(what) must be a mapping, not a \(node.typeName)", at: node.location, path: path)
            return nil
        }
        self.node = node
        self.path = path
        self.entries = entries
        for entry in entries where !known.contains(entry.key) {
            sink.error(
                .fieldUnknown, "unknown field \"\(entry.key)\" in \(what)", at: entry.keyLocation, path: path.appending(entry.key),
                hint: Suggestion.hint(for: entry.key, among: known))
        }
    }

    /// The entry for `key`, if present (the first, when a duplicate was already reported).
    func entry(_ key: String) -> Node.Entry? { entries.first { $0.key == key } }

    func value(_ key: String) -> Node? { entry(key)?.value }

    /// Reports a missing required field at the mapping's start.
    func require(_ key: String, sink: inout DiagnosticSink) -> Node? {
        if let value = value(key) { return value }
        sink.error(.fieldRequired, "missing required field \"\(key)\"", at: node.location, path: path.appending(key))
        return nil
    }

    func string(_ key: String, required: Bool, sink: inout DiagnosticSink) -> String? {
        guard let value = required ? require(key, sink: &sink) : value(key) else { return nil }
        guard let text = value.string else {
            sink.error(.fieldType, "\"\(key)\" must be a string, not a \(value.typeName)", at: value.location, path: path.appending(key))
            return nil
        }
        return text
    }

    func bool(_ key: String, sink: inout DiagnosticSink) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value.value else {
            sink.error(.fieldType, "\"\(key)\" must be true or false, not a \(value.typeName)", at: value.location, path: path.appending(key))
            return nil
        }
        return flag
    }

    /// A string field that must be one of `choices`, reported with a hint when it is not.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type, required: Bool, sink: inout DiagnosticSink) -> T?
    where T.RawValue == String {
        guard let text = string(key, required: required, sink: &sink), let value = self.value(key) else { return nil }
        if let choice = T(rawValue: text) { return choice }
        let names = T.allCases.map(\.rawValue)
        sink.error(
            .fieldType, "\"\(key)\" must be one of \(names.joined(separator: ", ")); got \"\(text)\"", at: value.location,
            path: path.appending(key), hint: Suggestion.hint(for: text, among: names))
        return nil
    }
}
