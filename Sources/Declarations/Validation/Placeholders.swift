/// Which template variables a resource config's placeholders use.
struct PlaceholderUsage {
    var used: Set<String> = []
}

/// Checks `{{placeholders}}` and `${macros}` in every string of a resource config.
enum Placeholders {
    /// Macros the Launch agent fills itself.
    static let agentMacros: Set<String> = ["project_name", "entity_name", "run_id", "run_name", "image_uri", "author"]

    static func check(
        _ node: Node, path: JSONPointer, variables: [String: DeclaredVariable], usage: inout PlaceholderUsage, sink: inout DiagnosticSink
    ) {
        switch node.value {
        case .string(let text):
            checkString(text, node: node, path: path, variables: variables, usage: &usage, sink: &sink)
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                check(item, path: path.appending(index), variables: variables, usage: &usage, sink: &sink)
            }
        case .mapping(let entries):
            for entry in entries {
                let entryPath = path.appending(entry.key)
                if PlaceholderTemplate.mayContainPlaceholder(entry.key), entry.key.contains("{{") {
                    sink.error(
                        .templateInKey, "placeholder in the key \"\(entry.key)\": the W&B server fills values only", at: entry.keyLocation,
                        path: entryPath)
                }
                check(entry.value, path: entryPath, variables: variables, usage: &usage, sink: &sink)
            }
        default:
            break
        }
    }

    private static func checkString(
        _ text: String, node: Node, path: JSONPointer, variables: [String: DeclaredVariable], usage: inout PlaceholderUsage,
        sink: inout DiagnosticSink
    ) {
        if PlaceholderTemplate.mayContainPlaceholder(text) {
            let template = PlaceholderTemplate(text)
            for problem in template.problems {
                sink.error(problem.code, problem.message, at: node.location, path: path)
            }
            for name in template.variables {
                usage.used.insert(name)
                if variables[name] == nil {
                    let message = "placeholder {{\(name)}} names no template variable"
                    sink.error(.templateUndeclared, message, at: node.location, path: path, hint: Suggestion.hint(for: name, among: variables.keys))
                }
            }
        }
        if text.utf8.contains(UInt8(ascii: "$")) { checkMacros(text, node: node, path: path, sink: &sink) }
    }

    /// The agent's macro syntax is `\$\{(\w+)\}`; anything else after `${` is left as is.
    private static func checkMacros(_ text: String, node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index + 1 < scalars.count {
            guard scalars[index] == "$", scalars[index + 1] == "{" else { index += 1; continue }
            var end = index + 2
            while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
            if end > index + 2, end < scalars.count, scalars[end] == "}" {
                let name = String(String.UnicodeScalarView(scalars[(index + 2)..<end]))
                if !agentMacros.contains(name) {
                    sink.note(
                        .macroEnvironment, "${\(name)} is filled from the Launch agent's environment variable \(name)", at: node.location, path: path)
                }
                index = end + 1
            } else {
                let close = scalars[(index + 2)...].firstIndex(of: "}") ?? scalars.count - 1
                let shown = String(String.UnicodeScalarView(scalars[index...min(close, scalars.count - 1)]))
                sink.warning(
                    .macroMalformed, "\(shown) is not a macro the Launch agent fills (names are letters, digits and _); it is left as is",
                    at: node.location, path: path)
                index += 2
            }
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
