/// How the sandbox fills a queue's config template with a run's template-variable values (the W&B server does
/// this when a run is enqueued; its exact rule is not public, so this is the project's documented rule, the
/// same one `launchq render` shows):
///
/// - `{{name}}` (spaces inside the braces allowed) in a string value is replaced; keys are never touched.
/// - A string that is exactly one placeholder of an `integer` or `number` variable becomes a JSON number;
///   a placeholder inside a longer string becomes text.
/// - A variable without a value takes its schema's `default`; without either the push is refused.
/// - Values are checked against the schema: `type`, `enum`, `minimum`, `maximum`.
/// - A value for an undeclared variable is refused (as the SDK does client-side).
enum TemplateFilling {
    /// Fills `config` with `values` (a JSON object of variable name to value) per `variables`.
    static func fill(_ config: JSONValue, variables: [TemplateVariableRecord], values: JSONValue?) throws(SandboxError) -> JSONValue {
        let given = values?.objectMembers ?? []
        let declared = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, _) in given where declared[name] == nil {
            throw .invalidInput("template variable \"\(name)\" is not declared by the queue")
        }
        var resolved: [String: (value: JSONValue, type: String?)] = [:]
        for variable in variables {
            let schema = try JSONText.parse(variable.schema, field: "templateVariables.\(variable.name).schema")
            let type = schema["type"]?.stringValue
            guard let value = given.last(where: { $0.key == variable.name })?.value ?? schema["default"] else {
                throw .invalidInput("template variable \"\(variable.name)\" has no value and no default")
            }
            try check(value, against: schema, type: type, name: variable.name)
            resolved[variable.name] = (value, type)
        }
        return substitute(config, resolved)
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, type: String?, name: String) throws(SandboxError) {
        let number: Double?
        switch (type, value) {
        case ("integer", .number(let lexeme)):
            guard let parsed = Double(lexeme), parsed.rounded() == parsed else {
                throw .invalidInput("template variable \"\(name)\" must be an integer")
            }
            number = parsed
        case ("integer", _): throw .invalidInput("template variable \"\(name)\" must be an integer")
        case ("number", .number(let lexeme)): number = Double(lexeme)
        case ("number", _): throw .invalidInput("template variable \"\(name)\" must be a number")
        case ("string", .string): number = nil
        case ("string", _): throw .invalidInput("template variable \"\(name)\" must be a string")
        default: number = nil
        }
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            throw .invalidInput("template variable \"\(name)\" must be one of \(JSONValue.array(options).compactText)")
        }
        if let number {
            if case .number(let minimum)? = schema["minimum"], let bound = Double(minimum), number < bound {
                throw .invalidInput("template variable \"\(name)\" must be at least \(minimum)")
            }
            if case .number(let maximum)? = schema["maximum"], let bound = Double(maximum), number > bound {
                throw .invalidInput("template variable \"\(name)\" must be at most \(maximum)")
            }
        }
    }

    private static func substitute(_ value: JSONValue, _ resolved: [String: (value: JSONValue, type: String?)]) -> JSONValue {
        switch value {
        case .string(let text):
            let names = TemplatePlaceholders.names(in: text)
            guard !names.isEmpty else { return value }
            let isWholeValue = names.count == 1 && TemplatePlaceholders.replace(in: text, { _ in "" }).isEmpty
            if isWholeValue, let only = resolved[names[0]], only.type == "integer" || only.type == "number" {
                return only.value
            }
            return .string(TemplatePlaceholders.replace(in: text) { name in
                guard let found = resolved[name]?.value else { return nil }
                if case .string(let string) = found { return string }
                return found.compactText
            })
        case .array(let values): return .array(values.map { substitute($0, resolved) })
        case .object(let members): return .object(members.map { ($0.key, substitute($0.value, resolved)) })
        default: return value
        }
    }
}
