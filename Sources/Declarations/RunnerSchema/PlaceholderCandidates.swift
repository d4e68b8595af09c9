import JSON

/// The values a string with `{{placeholders}}` may render to: each variable at its default, minimum, maximum and each
/// enum value, the others at their defaults. A whole-value placeholder of an `integer`/`number` variable renders a
/// number (the project's documented rule); anything else renders text.
struct PlaceholderCandidates {
    /// One value the string may become, and why, in the user's words.
    struct Candidate {
        /// The rendered value; `nil` when it depends on a value not known offline (a variable with no default).
        var value: JSONValue?
        /// The type of the unknown value when `value` is `nil`.
        var type: TemplateVariable.ValueType
        /// The variable given a value of its own, that value and what it is (`its maximum`); `nil` when the string renders
        /// with defaults only, or (`given` `nil`) when the variable's value is not known offline.
        var variable: String?
        var given: JSONValue?
        var label = ""

        /// `with {{gpus}} = 16 (its maximum)`, built only for a problem.
        var reason: String {
            guard let variable else { return "as rendered" }
            guard let given else { return "{{\(variable)}} is \(PlaceholderCandidates.article(type)) variable" }
            return "with {{\(variable)}} = \(CanonicalJSON.string(given)) (\(label))"
        }
    }

    static func candidates(for template: PlaceholderTemplate, variables: [String: DeclaredVariable]) -> [Candidate] {
        var names: [String] = []
        for name in template.variables where !names.contains(name) { names.append(name) }
        let declared = names.compactMap { variables[$0]?.variable }
        guard declared.count == names.count else { return [] }  // template.undeclared reports it
        var defaults: [String: JSONValue] = [:]
        for variable in declared { defaults[variable.name] = variable.schema.defaultValue.map { typed($0, as: variable.schema.type) } }

        if let whole = template.wholeVariable, let variable = variables[whole]?.variable {
            let values = givenValues(of: variable)
            if values.isEmpty {
                return [Candidate(value: nil, type: variable.schema.type, variable: whole)]
            }
            return values.map { Candidate(value: $0.value, type: variable.schema.type, variable: whole, given: $0.value, label: $0.label) }
        }
        var result: [Candidate] = []
        for variable in declared {
            for given in givenValues(of: variable) {
                var assignment = defaults
                assignment[variable.name] = given.value
                result.append(Candidate(
                    value: render(template, assignment).map(JSONValue.string), type: .string, variable: variable.name, given: given.value,
                    label: given.label))
            }
        }
        if result.isEmpty {
            result.append(Candidate(value: render(template, defaults).map(JSONValue.string), type: .string))
        }
        return result
    }

    /// The default, minimum, maximum and enum values of a variable, typed as they render.
    static func givenValues(of variable: TemplateVariable) -> [(value: JSONValue, label: String)] {
        let schema = variable.schema
        var values: [(value: JSONValue, label: String)] = []
        func add(_ value: JSONValue, _ label: String) {
            let value = typed(value, as: schema.type)
            if !values.contains(where: { $0.value == value }) { values.append((value, label)) }
        }
        if let value = schema.defaultValue { add(value, "its default") }
        if let minimum = schema.minimum { add(.number(minimum), "its minimum") }
        if let maximum = schema.maximum { add(.number(maximum), "its maximum") }
        for value in schema.allowedValues ?? [] { add(value, "one of its enum values") }
        return values
    }

    /// A value as the variable's type renders it: integers and whole numbers as JSON integers.
    static func typed(_ value: JSONValue, as type: TemplateVariable.ValueType) -> JSONValue {
        switch (type, value) {
        case (.integer, .number(let number)): Int(exactly: number).map(JSONValue.integer) ?? value
        case (.number, .number): value.canonical
        default: value
        }
    }

    /// The text with every placeholder filled, or `nil` when a variable has no value offline.
    private static func render(_ template: PlaceholderTemplate, _ values: [String: JSONValue]) -> String? {
        var output = ""
        for segment in template.segments {
            switch segment {
            case .text(let literal): output += literal
            case .variable(let name):
                guard let value = values[name] else { return nil }
                output += value.string ?? CanonicalJSON.string(value)
            }
        }
        return output
    }

    static func article(_ type: TemplateVariable.ValueType) -> String {
        type == .integer ? "an integer" : "a \(type.rawValue)"
    }
}

extension RunnerSchemaRules {
    /// Checks every value a placeholder string may render to; each problem names the variable and the value.
    func checkPlaceholders(
        _ template: PlaceholderTemplate, text: String, node: Node, shape: RunnerSchema.Shape, path: JSONPointer, sink: inout DiagnosticSink
    ) {
        // A whole placeholder where only a list or mapping fits is PlaceholderShapeRules' finding (template.placeholder-shape).
        if template.wholeVariable != nil, !shape.types.isEmpty, shape.types.isDisjoint(with: [.boolean, .integer, .number, .string]) { return }
        let hasMacro = Self.hasMacro(text)
        var reported: [Problem] = []
        for candidate in PlaceholderCandidates.candidates(for: template, variables: variables) {
            let found: Problem?
            if let value = candidate.value {
                found = problem(with: value, shape: shape, path: path, hasMacro: hasMacro)
            } else {
                found = typeProblem(of: candidate.type, shape: shape, path: path)
            }
            guard var found, !reported.contains(found) else { continue }
            reported.append(found)
            found.message = "\(candidate.reason): \(found.message)"
            sink.error(found.code, found.message, at: node.location, path: path, hint: found.hint)
        }
    }

    /// A value of `type` not known offline: only its type can be judged.
    private func typeProblem(of type: TemplateVariable.ValueType, shape: RunnerSchema.Shape, path: JSONPointer) -> Problem? {
        let types = shape.types
        if types.isEmpty { return nil }
        let fits: Bool
        switch type {
        case .string: fits = types.contains(.string)
        case .integer: fits = types.contains(.integer) || types.contains(.number)
        case .number: fits = types.contains(.number)
        }
        if fits { return nil }
        let what = type == .string ? "a string" : type == .integer ? "an integer" : "a number (it may hold a fraction)"
        return Problem(code: .runnerType, message: "\(field(path)) must be \(types.phrase), not \(what)")
    }
}
