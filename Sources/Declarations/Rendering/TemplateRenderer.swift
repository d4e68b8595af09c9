import JSON

/// Fills a queue's resource config the way the W&B server does when a job is launched.
///
/// Values are checked against each variable's schema, defaults fill what is not given, and a string that
/// is exactly one placeholder of an `integer` or `number` variable becomes a JSON number. Inside a longer
/// string a value renders as text.
public struct TemplateRenderer: Sendable {
    /// Where the queue was declared, for diagnostics about values.
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }

    /// The filled config, or every problem with the given values.
    public func render(_ queue: RunQueue, values: [String: String]) -> Result<JSONValue, RenderError> {
        var diagnostics: [Diagnostic] = []
        var typed: [String: JSONValue] = [:]
        for (name, text) in values.sorted(by: { $0.key < $1.key }) {
            let path = JSONPointer(["template_variables", name])
            guard let variable = queue.templateVariables[name] else {
                diagnostics.append(Diagnostic(
                    .error, .renderUnknownVariable, "queue \(queue.name) has no template variable \"\(name)\"", at: location, path: path,
                    hint: Suggestion.hint(for: name, among: queue.templateVariables.keys)))
                continue
            }
            let value: JSONValue
            switch variable.schema.type {
            case .string: value = .string(text)
            case .integer:
                guard let number = Int(text) else {
                    diagnostics.append(Diagnostic(.error, .renderValue, "value for \(name) must be an integer, got \"\(text)\"", at: location, path: path))
                    continue
                }
                value = .integer(number)
            case .number:
                guard let number = Double(text), number.isFinite else {
                    diagnostics.append(Diagnostic(.error, .renderValue, "value for \(name) must be a number, got \"\(text)\"", at: location, path: path))
                    continue
                }
                value = JSONValue.number(number).canonical
            }
            if let problem = TemplateVariableRules.problem(with: value, in: variable.schema) {
                diagnostics.append(Diagnostic(.error, .renderValue, "value for \(name): \(problem)", at: location, path: path))
                continue
            }
            typed[name] = value
        }
        for (name, variable) in queue.templateVariables where typed[name] == nil && values[name] == nil {
            if let defaultValue = variable.schema.defaultValue { typed[name] = defaultValue.canonical }
        }
        var missing: Set<String> = []
        let rendered = fill(queue.resourceConfig, values: typed, missing: &missing)
        for name in missing.sorted() where values[name] == nil {
            diagnostics.append(Diagnostic(
                .error, .renderMissing, "template variable \"\(name)\" has no value and no default: pass --set \(name)=VALUE", at: location,
                path: JSONPointer(["template_variables", name])))
        }
        return diagnostics.isEmpty ? .success(rendered) : .failure(RenderError(diagnostics: diagnostics))
    }

    private func fill(_ value: JSONValue, values: [String: JSONValue], missing: inout Set<String>) -> JSONValue {
        switch value {
        case .string(let text) where PlaceholderTemplate.mayContainPlaceholder(text):
            let template = PlaceholderTemplate(text)
            if let whole = template.wholeVariable {
                guard let filled = values[whole] else { missing.insert(whole); return value }
                return filled
            }
            var output = ""
            for segment in template.segments {
                switch segment {
                case .text(let literal): output += literal
                case .variable(let name):
                    guard let filled = values[name] else { missing.insert(name); output += "{{\(name)}}"; continue }
                    output += filled.string ?? CanonicalJSON.string(filled)
                }
            }
            return .string(output)
        case .array(let items): return .array(items.map { fill($0, values: values, missing: &missing) })
        case .object(let members): return .object(members.mapValues { fill($0, values: values, missing: &missing) })
        default: return value
        }
    }
}

/// Why a render failed: one diagnostic per bad, unknown or missing value.
public struct RenderError: Error, Sendable {
    public var diagnostics: [Diagnostic]
}
