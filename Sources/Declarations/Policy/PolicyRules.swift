import JSON

/// Reads a `kind: Policy` document, reporting unknown rules (with a did-you-mean), wrong types and empty lists.
enum PolicyRules {
    static let fields = Validator.header + ["name", "scope", "severity", "rules"]

    static func read(_ root: Node, sink: inout DiagnosticSink) -> GuardrailPolicy? {
        guard let fields = FieldReader(root, path: .root, known: Self.fields, what: "a Policy", sink: &sink) else { return nil }
        let name = fields.string("name", required: true, sink: &sink)
        if let name { NameRules.checkEntityName(name, what: "policy name", node: fields.value("name")!, path: JSONPointer(["name"]), sink: &sink) }
        let severity = fields.choice("severity", as: GuardrailPolicy.Severity.self, required: false, sink: &sink) ?? .error
        let scope = fields.value("scope").map { readScope($0, sink: &sink) } ?? GuardrailPolicy.Scope()
        var rules = GuardrailPolicy.Rules()
        if let node = fields.require("rules", sink: &sink) {
            rules = readRules(node, sink: &sink)
            if rules.isEmpty, node.entries?.isEmpty == true {
                sink.warning(.policyEmpty, "policy has no rules; it checks nothing", at: node.location, path: JSONPointer(["rules"]))
            }
        }
        guard let name else { return nil }
        return GuardrailPolicy(name: name, scope: scope, severity: severity, rules: rules)
    }

    private static func readScope(_ node: Node, sink: inout DiagnosticSink) -> GuardrailPolicy.Scope {
        let path = JSONPointer(["scope"])
        guard let fields = FieldReader(node, path: path, known: ["entities", "queues", "resource_types"], what: "a policy scope", sink: &sink)
        else { return GuardrailPolicy.Scope() }
        let entities = strings(fields, "entities", path: path, sink: &sink) ?? []
        let queues = strings(fields, "queues", path: path, sink: &sink) ?? []
        var types: [ResourceType] = []
        if let names = strings(fields, "resource_types", path: path, sink: &sink), let list = fields.value("resource_types")?.sequence {
            let known = ResourceType.allCases.map(\.rawValue)
            for (index, name) in names.enumerated() {
                if let type = ResourceType(rawValue: name) {
                    types.append(type)
                } else {
                    sink.error(
                        .fieldType, "resource type must be one of \(known.joined(separator: ", ")); got \"\(name)\"", at: list[index].location,
                        path: path.appending("resource_types").appending(index), hint: Suggestion.hint(for: name, among: known))
                }
            }
        }
        return GuardrailPolicy.Scope(
            entities: entities, queues: queues, resourceTypes: Array(Set(types)).sorted { $0.rawValue < $1.rawValue })
    }

    private static func readRules(_ node: Node, sink: inout DiagnosticSink) -> GuardrailPolicy.Rules {
        let path = JSONPointer(["rules"])
        guard let fields = FieldReader(node, path: path, known: GuardrailPolicy.Rules.names, what: "policy rules", sink: &sink)
        else { return GuardrailPolicy.Rules() }
        return GuardrailPolicy.Rules(
            maxGPUsPerJob: count(fields, "max_gpus_per_job", minimum: 0, path: path, sink: &sink),
            requireLimits: strings(fields, "require_limits", path: path, sink: &sink),
            allowedNamespaces: strings(fields, "allowed_namespaces", path: path, sink: &sink),
            allowedImagePrefixes: strings(fields, "allowed_image_prefixes", path: path, sink: &sink),
            allowedInstanceTypes: strings(fields, "allowed_instance_types", path: path, sink: &sink),
            requiredLabels: strings(fields, "required_labels", path: path, sink: &sink),
            maxRuntimeSeconds: count(fields, "max_runtime_seconds", minimum: 1, path: path, sink: &sink),
            requiredLinks: strings(fields, "required_links", path: path, sink: &sink),
            prioritizationMode: fields.choice("prioritization_mode", as: PrioritizationMode.self, required: false, sink: &sink))
    }

    /// A whole number of at least `minimum`.
    private static func count(_ fields: FieldReader, _ key: String, minimum: Int, path: JSONPointer, sink: inout DiagnosticSink) -> Int? {
        guard let node = fields.value(key) else { return nil }
        guard case .integer(let number) = node.value, number >= minimum else {
            sink.error(
                .fieldType, "\"\(key)\" must be a whole number of at least \(minimum), not \(node.typeName == "integer" ? "less" : "a \(node.typeName)")",
                at: node.location, path: path.appending(key))
            return nil
        }
        return number
    }

    /// A non-empty list of non-empty strings.
    private static func strings(_ fields: FieldReader, _ key: String, path: JSONPointer, sink: inout DiagnosticSink) -> [String]? {
        guard let node = fields.value(key) else { return nil }
        guard let items = node.sequence, !items.isEmpty else {
            sink.error(
                .fieldType, "\"\(key)\" must be a non-empty list of strings (leave it out to not check it)", at: node.location,
                path: path.appending(key))
            return nil
        }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.string, !text.isEmpty else {
                sink.error(.fieldType, "items of \"\(key)\" must be non-empty strings, not a \(item.typeName)", at: item.location, path: path.appending(key).appending(index))
                continue
            }
            values.append(text)
        }
        // Lists are sets: sorted and without repeats, so a policy reads back from its canonical form unchanged.
        return Array(Set(values)).sorted()
    }
}

extension Node {
    /// The items when this is a sequence.
    var sequence: [Node]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// Where the value at `pointer` was written, or the nearest enclosing value that exists.
    func location(at pointer: JSONPointer) -> SourceLocation {
        var node = self
        for token in pointer.tokens {
            switch node.value {
            case .mapping(let entries):
                guard let entry = entries.first(where: { $0.key == token }) else { return node.location }
                node = entry.value
            case .sequence(let items):
                guard let index = Int(token), items.indices.contains(index) else { return node.location }
                node = items[index]
            default:
                return node.location
            }
        }
        return node.location
    }
}
