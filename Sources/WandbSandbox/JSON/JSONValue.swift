/// A JSON document that keeps object keys in the order they were written and numbers exactly as they were
/// written, so a configuration stored by the sandbox reads back the way the client sent it.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its JSON lexeme (for example `"42"`, `"-1.5e3"`) so integers never lose precision.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object, as key/value pairs in document order. Keys are unique (the parser keeps the last duplicate).
    case object([(key: String, value: JSONValue)])

    /// The value stored under `key` when this is an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The string when this is a string.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members when this is an object.
    var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b || (Double(a) != nil && Double(a) == Double(b))
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            // Objects are equal regardless of key order.
            guard a.count == b.count else { return false }
            let right = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            return a.allSatisfy { right[$0.key] == $0.value }
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(Double(value) ?? 0)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members):
            hasher.combine(members.count)
            // Order-independent combination, matching `==`.
            var sum = 0
            for member in members {
                var inner = Hasher()
                inner.combine(member.key)
                inner.combine(member.value)
                sum &+= inner.finalize()
            }
            hasher.combine(sum)
        }
    }
}

extension JSONValue {
    /// Compact JSON text (`{"a":1,"b":[true,null]}`), keys in stored order, numbers as written.
    var compactText: String {
        var output = ""
        write(to: &output) { lexeme, output in output += lexeme }
        return output
    }

    /// Writes compact JSON text, keys in stored order; each number's lexeme goes through `number` (the one
    /// difference between the stored text and the values the GraphQL executor writes).
    func write(to output: inout String, number: (String, inout String) -> Void) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let lexeme): number(lexeme, &output)
        case .string(let value): JSONValue.writeQuoted(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output, number: number)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeQuoted(member.key, to: &output)
                output += ":"
                member.value.write(to: &output, number: number)
            }
            output += "}"
        }
    }

    static func writeQuoted(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
