import Foundation

/// Finds `{{name}}` placeholders (whitespace inside the braces allowed) in a string.
enum TemplatePlaceholders {
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                names.append(name)
            }
            rest = after[close.upperBound...]
        }
        return names
    }
}
