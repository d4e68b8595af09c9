import Foundation

/// Finds and replaces `{{name}}` placeholders (whitespace inside the braces allowed) in a string.
enum TemplatePlaceholders {
    /// The placeholder names in `text`, in order.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        _ = scan(text) { name in
            names.append(name)
            return nil
        }
        return names
    }

    /// `text` with each placeholder replaced by `replacement(name)` (left as is when that returns `nil`).
    static func replace(in text: String, _ replacement: (String) -> String?) -> String {
        scan(text, replacement)
    }

    private static func scan(_ text: String, _ visit: (String) -> String?) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += rest[..<open.lowerBound]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), let value = visit(name) {
                output += value
            } else {
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = after[close.upperBound...]
        }
        return output + rest
    }
}
