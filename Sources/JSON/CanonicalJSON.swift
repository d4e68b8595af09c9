/// The canonical JSON text of a value: sorted keys, no spaces, numbers in one form.
///
/// Whole numbers within ±2^53 print as integers (`1.0` → `1`), others in Swift's shortest round-trip form,
/// so two documents that mean the same print the same bytes, and hash the same. Non-finite numbers print as
/// `null`. Content hashes stored in PostgreSQL are SHA-256 of these bytes: the output must never change
/// (`Tests/DeclarationsTests/GoldenHashesTests.swift` holds it to the recorded bytes of `examples/`).
public enum CanonicalJSON {
    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    /// The canonical text of `value` as UTF-8 bytes (what content hashes hash).
    public static func bytes(_ value: JSONValue) -> [UInt8] { Array(string(value).utf8) }

    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number): output += format(number)
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(members[key]!, to: &output)
            }
            output += "}"
        }
    }

    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number.rounded() == number, abs(number) <= 9_007_199_254_740_992 { return String(Int(number)) }
        return "\(number)"
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings need no escaping: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension JSONValue {
    /// The same value with whole numbers as integers, so `1` and `1.0` compare equal.
    public var canonical: JSONValue {
        switch self {
        case .number(let number) where number.rounded() == number && abs(number) <= 9_007_199_254_740_992:
            .integer(Int(number))
        case .array(let items): .array(items.map(\.canonical))
        case .object(let members): .object(members.mapValues(\.canonical))
        default: self
        }
    }
}
