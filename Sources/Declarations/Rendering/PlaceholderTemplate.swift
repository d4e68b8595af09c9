/// A string value of a resource config, split into literal text and `{{variable}}` placeholders.
///
/// The W&B server fills plain variables only, so anything else Handlebars offers is a problem.
public struct PlaceholderTemplate: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case text(String)
        case variable(String)
    }

    /// Something in the string the server would not fill.
    public struct Problem: Sendable, Equatable {
        public var code: Diagnostic.Code
        public var message: String
    }

    public private(set) var segments: [Segment] = []
    public private(set) var problems: [Problem] = []

    /// The variable when the whole string is exactly one placeholder (such values render typed).
    public var wholeVariable: String? {
        if segments.count == 1, case .variable(let name) = segments[0] { return name }
        return nil
    }

    public var variables: [String] {
        segments.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// Whether `text` has anything that looks like a placeholder; cheap, for the common case.
    public static func mayContainPlaceholder(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")) && previous == byte { return true }
            previous = byte
        }
        return false
    }

    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var literal = String.UnicodeScalarView()
        var index = 0
        func flush() {
            if !literal.isEmpty { segments.append(.text(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        func find(_ a: Unicode.Scalar, _ b: Unicode.Scalar, from start: Int) -> Int? {
            var position = start
            while position + 1 < scalars.count {
                if scalars[position] == a && scalars[position + 1] == b { return position }
                position += 1
            }
            return nil
        }
        while index < scalars.count {
            guard scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" else {
                if scalars[index] == "}", index + 1 < scalars.count, scalars[index + 1] == "}" {
                    problems.append(Problem(code: .templateSyntax, message: "\"}}\" closes no placeholder"))
                    literal.append(contentsOf: ["}", "}"])
                    index += 2
                    continue
                }
                literal.append(scalars[index])
                index += 1
                continue
            }
            let open = index
            let innerStart = index + 2
            if innerStart < scalars.count, scalars[innerStart] == "{" {
                problems.append(Problem(code: .templateUnsupported, message: "{{{raw}}} placeholders are not filled by the W&B server; use {{name}}"))
                let close = find("}", "}", from: innerStart).map { $0 + 2 } ?? scalars.count
                let end = close < scalars.count && scalars[close] == "}" ? close + 1 : close
                literal.append(contentsOf: scalars[index..<min(end, scalars.count)])
                index = end
                continue
            }
            guard let close = find("}", "}", from: innerStart) else {
                problems.append(Problem(code: .templateSyntax, message: "unclosed placeholder: \"{{\" without \"}}\""))
                literal.append(contentsOf: scalars[index...])
                break
            }
            let inner = String(String.UnicodeScalarView(scalars[innerStart..<close])).trimmingWhitespace()
            index = close + 2
            if inner.isEmpty {
                problems.append(Problem(code: .templateSyntax, message: "empty placeholder {{}}"))
            } else if let first = inner.unicodeScalars.first, "#/>!^&".unicodeScalars.contains(first) || inner == "else" {
                problems.append(Problem(
                    code: .templateUnsupported, message: "{{\(inner)}} is Handlebars beyond a plain variable; the W&B server fills plain {{name}} only"))
            } else if inner.contains(where: \.isWhitespace) {
                problems.append(Problem(
                    code: .templateUnsupported, message: "{{\(inner)}} calls a helper with arguments; the W&B server fills plain {{name}} only"))
            } else if !TemplateVariableRules.isValidName(inner) {
                problems.append(Problem(
                    code: .templateUnsupported, message: "{{\(inner)}} is not a plain variable name ([A-Za-z_][A-Za-z0-9_-]*)"))
            } else {
                flush()
                segments.append(.variable(inner))
                continue
            }
            literal.append(contentsOf: scalars[open..<index])
        }
        flush()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
