import Declarations
import JSON

/// Writes JSON values as readable block-style YAML that launchq's loader reads back to the same value.
///
/// Mapping keys are sorted (stable diffs). A string is written plain only when it is plainly a string under
/// the YAML 1.2 core schema *and* under YAML 1.1 readers (`yes`, `on`, `no` are quoted too); otherwise it is
/// double-quoted with JSON-style escapes (which is valid YAML), or, when it spans lines, written as a literal
/// block (`|`). Placeholders (`{{gpus}}`) and macros (`${run_id}`) are always quoted strings.
///
/// ```swift
/// YAMLWriter.document([("apiVersion", "launchq/v1"), ("kind", "Project")], header: ["imported"])
/// ```
public enum YAMLWriter {
    /// The indentation of each nesting level.
    static let indentWidth = 2
    /// Longer keys are written as explicit keys (`? key`): YAML limits implicit keys to 1024 characters.
    static let implicitKeyLimit = 1000

    /// A whole document: `# header` comment lines, then `fields` in the given order (nested keys sorted).
    public static func document(_ fields: [(key: String, value: JSONValue)], header: [String] = []) -> String {
        var lines = header.map { $0.isEmpty ? "#" : "# " + commentText($0) }
        for (key, value) in fields { entry(key: key, value: value, indent: 0, into: &lines) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Any value as a YAML document (an object's keys sorted).
    public static func string(_ value: JSONValue) -> String {
        var lines: [String] = []
        switch value {
        case .object(let members) where !members.isEmpty:
            for key in members.keys.sorted() { entry(key: key, value: members[key]!, indent: 0, into: &lines) }
        case .array(let items) where !items.isEmpty:
            sequence(items, indent: 0, into: &lines)
        default:
            lines.append(inlineScalar(value) ?? doubleQuoted(value.string ?? ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Comment text on one line: line breaks and other characters YAML would not keep in a comment are escaped.
    static func commentText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isPrintable($0) }) else { return text }
        let quoted = doubleQuoted(text)
        return String(quoted.dropFirst().dropLast())
    }

    // MARK: - Block structure

    /// `key: value`, with nested blocks indented below.
    private static func entry(key: String, value: JSONValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        let keyText = scalarKey(key)
        let head: String
        if keyText.utf8.count > implicitKeyLimit {
            lines.append(pad + "? " + keyText)
            head = pad + ":"
        } else {
            head = pad + keyText + ":"
        }
        switch value {
        case .object(let members) where !members.isEmpty:
            lines.append(head)
            for member in members.keys.sorted() { entry(key: member, value: members[member]!, indent: indent + indentWidth, into: &lines) }
        case .array(let items) where !items.isEmpty:
            lines.append(head)
            sequence(items, indent: indent + indentWidth, into: &lines)
        case .string(let text):
            if let block = literalBlock(text, indent: indent + indentWidth) {
                lines.append(head + " " + block.header)
                lines += block.lines
            } else {
                lines.append(head + " " + stringScalar(text))
            }
        default:
            lines.append(head + " " + (inlineScalar(value) ?? "null"))
        }
    }

    /// `- item` lines; a nested block starts on the dash's line.
    private static func sequence(_ items: [JSONValue], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .object(let members) where !members.isEmpty:
                var nested: [String] = []
                for key in members.keys.sorted() { entry(key: key, value: members[key]!, indent: indent + indentWidth, into: &nested) }
                lines += dashed(nested, indent: indent)
            case .array(let inner) where !inner.isEmpty:
                var nested: [String] = []
                sequence(inner, indent: indent + indentWidth, into: &nested)
                lines += dashed(nested, indent: indent)
            case .string(let text):
                // A literal block inside a sequence needs no indentation indicator only when it starts with text.
                if let block = literalBlock(text, indent: indent + indentWidth), !block.header.contains(where: \.isNumber) {
                    lines.append(pad + "- " + block.header)
                    lines += block.lines
                } else {
                    lines.append(pad + "- " + stringScalar(text))
                }
            default:
                lines.append(pad + "- " + (inlineScalar(item) ?? "null"))
            }
        }
    }

    /// Puts `- ` in place of the first line's indentation (the block was written `indentWidth` deeper).
    private static func dashed(_ nested: [String], indent: Int) -> [String] {
        guard let first = nested.first else { return [] }
        let pad = String(repeating: " ", count: indent)
        return [pad + "- " + first.dropFirst(indent + indentWidth)] + nested.dropFirst()
    }

    // MARK: - Scalars

    /// Scalars other than strings, and empty collections, on one line.
    private static func inlineScalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): numberText(number)
        case .string(let text): stringScalar(text)
        case .object(let members): members.isEmpty ? "{}" : nil
        case .array(let items): items.isEmpty ? "[]" : nil
        }
    }

    /// A number the loader reads back as a number (never as an integer: `2.0` stays `2.0`).
    static func numberText(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        return "\(number)"
    }

    /// A mapping key: plain when safe, else double-quoted (keys never use block scalars).
    static func scalarKey(_ key: String) -> String {
        isSafePlain(key) ? key : doubleQuoted(key)
    }

    /// A one-line string scalar: plain when safe, else double-quoted.
    static func stringScalar(_ text: String) -> String {
        isSafePlain(text) ? text : doubleQuoted(text)
    }

    /// Words that YAML 1.1 readers (and people) take for booleans or null; quoted although YAML 1.2 reads them as strings.
    private static let ambiguousWords: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"]

    /// Whether `text` can be written without quotes and read back as exactly this string.
    ///
    /// Deliberately narrow: letters, digits and a few punctuation marks that are never YAML indicators, starting with a
    /// letter, `_` or `/`; `:` only when followed by a non-space (URLs); single inner spaces.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard isPlainLetter(first) || first == "_" || first == "/" else { return false }
        guard last != " ", last != ":" else { return false }
        if ambiguousWords.contains(text.lowercased()) { return false }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if isPlainLetter(scalar) || (scalar.value >= 0x30 && scalar.value <= 0x39) { continue }
            switch scalar {
            case "_", "-", ".", "/", "@", "=", "+", "(", ")", "%", "^", ";", "<", ">", "~":
                continue
            case ":":
                guard index + 1 < scalars.count, scalars[index + 1] != " " else { return false }
            case " ":
                guard index + 1 < scalars.count, scalars[index + 1] != " " else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// ASCII letters, and non-ASCII letters and digits (never line breaks or format characters).
    private static func isPlainLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value >= 0x41 && scalar.value <= 0x5A) || (scalar.value >= 0x61 && scalar.value <= 0x7A) }
        guard isPrintable(scalar) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .nonspacingMark, .spacingMark:
            return true
        default:
            return false
        }
    }

    /// Characters YAML allows unescaped in a stream (libyaml's `IS_PRINTABLE`), minus the Unicode line breaks.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: true
        case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `"text"` with JSON escapes; anything YAML could read differently (controls, line breaks, BOM) is escaped.
    static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where isPrintable(scalar): output.unicodeScalars.append(scalar)
            case _ where scalar.value <= 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return output + "\""
    }

    /// A literal block (`|`) for readable multi-line text, or `nil` when the text is better double-quoted:
    /// one line, characters that need escapes, tabs, or trailing spaces that editors would strip.
    static func literalBlock(_ text: String, indent: Int) -> (header: String, lines: [String])? {
        guard text.contains("\n") else { return nil }
        for scalar in text.unicodeScalars where scalar != "\n" && !isPrintable(scalar) { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.contains(where: { $0.contains { $0 != " " } }) else { return nil }
        guard !lines.contains(where: { $0.hasSuffix(" ") }) else { return nil }
        // Chomping: `-` strip (no final newline), none clip (one), `+` keep (several).
        var body = lines
        var chomping = "-"
        if body.last == "" {
            var trailing = 0
            while body.last == "" { body.removeLast(); trailing += 1 }
            chomping = trailing == 1 ? "" : "+"
            if trailing > 1 { body += Array(repeating: "", count: trailing - 1) }
        }
        // An explicit indentation indicator when the first line starts with a space (or the block with empty lines).
        let needsIndicator = body.first.map { $0.isEmpty || $0.hasPrefix(" ") } ?? true
        let pad = String(repeating: " ", count: indent)
        let header = "|" + (needsIndicator ? String(indentWidth) : "") + chomping
        return (header, body.map { $0.isEmpty ? "" : pad + $0 })
    }
}
