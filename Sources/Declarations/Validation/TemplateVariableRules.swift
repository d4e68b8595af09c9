import JSON

/// A template variable as read, with where it was declared.
struct DeclaredVariable {
    var variable: TemplateVariable
    var location: SourceLocation
}

/// The rules for `template_variables`.
enum TemplateVariableRules {
    static let schemaFields = ["type", "default", "minimum", "maximum", "enum"]

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func read(_ node: Node, path: JSONPointer, sink: inout DiagnosticSink) -> [String: DeclaredVariable] {
        guard let entries = node.entries else {
            if case .null = node.value { return [:] }
            sink.error(.fieldType, "template_variables must be a mapping of name to variable, not a \(node.typeName)", at: node.location, path: path)
            return [:]
        }
        var variables: [String: DeclaredVariable] = [:]
        for entry in entries {
            let variablePath = path.appending(entry.key)
            if !isValidName(entry.key) {
                sink.error(
                    .templateVariableName, "template variable name \"\(entry.key)\" must match [A-Za-z_][A-Za-z0-9_-]* and be at most 64 characters",
                    at: entry.keyLocation, path: variablePath)
            }
            guard let fields = FieldReader(entry.value, path: variablePath, known: ["description", "schema"], what: "a template variable", sink: &sink)
            else { continue }
            let description = fields.string("description", required: false, sink: &sink)
            guard let schemaNode = fields.require("schema", sink: &sink),
                let schema = readSchema(schemaNode, path: variablePath.appending("schema"), sink: &sink)
            else { continue }
            variables[entry.key] = DeclaredVariable(
                variable: TemplateVariable(name: entry.key, description: description, schema: schema), location: entry.keyLocation)
        }
        return variables
    }

    static func readSchema(_ node: Node, path: JSONPointer, sink: inout DiagnosticSink) -> TemplateVariable.Schema? {
        guard let entries = node.entries else {
            sink.error(.fieldType, "schema must be a mapping, not a \(node.typeName)", at: node.location, path: path)
            return nil
        }
        for entry in entries where !schemaFields.contains(entry.key) {
            sink.error(
                .templateSchemaField, "\"\(entry.key)\" is not allowed in a template variable schema (only \(schemaFields.joined(separator: ", ")))",
                at: entry.keyLocation, path: path.appending(entry.key), hint: Suggestion.hint(for: entry.key, among: schemaFields))
        }
        let field = { (key: String) in entries.first { $0.key == key }?.value }
        let types = TemplateVariable.ValueType.allCases.map(\.rawValue)
        guard let typeNode = field("type") else {
            sink.error(.templateSchemaType, "schema.type is required: string, integer or number", at: node.location, path: path.appending("type"))
            return nil
        }
        guard let typeName = typeNode.string, let type = TemplateVariable.ValueType(rawValue: typeName) else {
            sink.error(
                .templateSchemaType, "schema.type must be string, integer or number", at: typeNode.location, path: path.appending("type"),
                hint: typeNode.string.flatMap { ["float": "use \"number\"", "int": "use \"integer\"", "str": "use \"string\""][$0] }
                    ?? typeNode.string.flatMap { Suggestion.hint(for: $0, among: types) })
            return nil
        }
        var schema = TemplateVariable.Schema(type: type)
        schema.minimum = bound("minimum", field("minimum"), type: type, path: path, sink: &sink)
        schema.maximum = bound("maximum", field("maximum"), type: type, path: path, sink: &sink)
        if let minimum = schema.minimum, let maximum = schema.maximum, minimum > maximum, let node = field("minimum") {
            sink.error(.templateBounds, "minimum \(format(minimum)) is greater than maximum \(format(maximum))", at: node.location, path: path.appending("minimum"))
        }
        if let enumNode = field("enum") {
            schema.allowedValues = readEnum(enumNode, schema: schema, path: path.appending("enum"), sink: &sink)
        }
        if let defaultNode = field("default") {
            let defaultPath = path.appending("default")
            if let problem = problem(with: defaultNode.json, in: schema) {
                sink.error(.templateDefault, "default \(problem)", at: defaultNode.location, path: defaultPath)
            } else {
                schema.defaultValue = defaultNode.json
            }
        }
        return schema
    }

    private static func bound(_ key: String, _ node: Node?, type: TemplateVariable.ValueType, path: JSONPointer, sink: inout DiagnosticSink) -> Double? {
        guard let node else { return nil }
        let boundPath = path.appending(key)
        guard type != .string else {
            sink.error(.templateBounds, "\(key) applies only to integer and number variables", at: node.location, path: boundPath)
            return nil
        }
        guard let value = node.json.double, value.isFinite else {
            sink.error(.templateBounds, "\(key) must be a number, not a \(node.typeName)", at: node.location, path: boundPath)
            return nil
        }
        if type == .integer, value.rounded() != value {
            sink.error(.templateBounds, "\(key) of an integer variable must be a whole number, got \(format(value))", at: node.location, path: boundPath)
            return nil
        }
        return value
    }

    private static func readEnum(_ node: Node, schema: TemplateVariable.Schema, path: JSONPointer, sink: inout DiagnosticSink) -> [JSONValue]? {
        guard case .sequence(let items) = node.value else {
            sink.error(.templateEnum, "enum must be a list, not a \(node.typeName)", at: node.location, path: path)
            return nil
        }
        guard !items.isEmpty else {
            sink.error(.templateEnum, "enum must not be empty", at: node.location, path: path)
            return nil
        }
        var seen: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let value = item.json.canonical
            if let problem = problem(with: value, in: TemplateVariable.Schema(type: schema.type, minimum: schema.minimum, maximum: schema.maximum)) {
                sink.error(.templateEnum, "enum item \(problem)", at: item.location, path: path.appending(index))
            } else if seen.contains(value) {
                sink.error(.templateEnum, "enum lists \(describe(value)) twice", at: item.location, path: path.appending(index))
            }
            seen.append(value)
        }
        return items.map { $0.json.canonical }
    }

    /// Why `value` does not fit `schema`, or `nil` when it does.
    static func problem(with value: JSONValue, in schema: TemplateVariable.Schema) -> String? {
        switch (schema.type, value) {
        case (.string, .string): break
        case (.integer, .integer): break
        case (.integer, .number(let number)) where number.rounded() == number && number.isFinite: break
        case (.number, .integer): break
        case (.number, .number(let number)) where number.isFinite: break
        default:
            return "\(describe(value)) is not of type \(schema.type.rawValue)"
        }
        if let number = value.double {
            if let minimum = schema.minimum, number < minimum { return "\(describe(value)) is below the minimum \(format(minimum))" }
            if let maximum = schema.maximum, number > maximum { return "\(describe(value)) is above the maximum \(format(maximum))" }
        }
        if let allowed = schema.allowedValues, !allowed.contains(value.canonical) {
            return "\(describe(value)) is not one of the enum values \(allowed.map(describe).joined(separator: ", "))"
        }
        return nil
    }

    static func describe(_ value: JSONValue) -> String { CanonicalJSON.string(value) }

    static func format(_ number: Double) -> String { CanonicalJSON.string(.number(number)) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
