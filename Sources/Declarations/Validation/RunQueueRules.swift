import JSON

/// Reading and checking a `RunQueue` document.
enum RunQueueRules {
    static let fields = Validator.header + [
        "entity", "name", "resource_type", "prioritization_mode", "resource_config", "template_variables", "external_links", "policy",
    ]

    /// `kubernetesVersion` `nil`: no runner API schema checks.
    static func read(_ root: Node, kubernetesVersion: KubernetesVersion? = .newest, sink: inout DiagnosticSink) -> RunQueue? {
        guard let fields = FieldReader(root, path: .root, known: Self.fields, what: "a RunQueue", sink: &sink) else { return nil }
        let entity = fields.string("entity", required: true, sink: &sink)
        let name = fields.string("name", required: true, sink: &sink)
        let resourceType = fields.choice("resource_type", as: ResourceType.self, required: true, sink: &sink)
        let mode = fields.choice("prioritization_mode", as: PrioritizationMode.self, required: false, sink: &sink) ?? .disabled
        if let entity { NameRules.checkEntityName(entity, what: "entity", node: fields.value("entity")!, path: JSONPointer(["entity"]), sink: &sink) }
        if let name { NameRules.checkQueueName(name, node: fields.value("name")!, path: JSONPointer(["name"]), sink: &sink) }

        let variables = fields.value("template_variables").map {
            TemplateVariableRules.read($0, path: JSONPointer(["template_variables"]), sink: &sink)
        } ?? [:]
        let links = readLinks(fields.value("external_links"), sink: &sink)
        let policy = readPolicy(fields.value("policy"), sink: &sink)

        var config = JSONValue.object([:])
        if let configNode = fields.value("resource_config") {
            let path = JSONPointer(["resource_config"])
            switch configNode.value {
            case .mapping:
                var usage = PlaceholderUsage()
                Placeholders.check(configNode, path: path, variables: variables, usage: &usage, sink: &sink)
                for (variable, declared) in variables.sorted(by: { $0.key < $1.key }) where !usage.used.contains(variable) {
                    sink.warning(
                        .templateUnused, "template variable \"\(variable)\" is declared but no {{\(variable)}} placeholder uses it",
                        at: declared.location, path: JSONPointer(["template_variables", variable]))
                }
                if let resourceType {
                    ResourceConfigRules.check(configNode, type: resourceType, path: path, sink: &sink)
                    if let kubernetesVersion {
                        RunnerSchemaRules.check(
                            configNode, type: resourceType, variables: variables, kubernetesVersion: kubernetesVersion, path: path, sink: &sink)
                    }
                }
                config = configNode.json
            case .null:
                break
            default:
                sink.error(.resourceConfigType, "resource_config must be a mapping, not a \(configNode.typeName)", at: configNode.location, path: path)
            }
        } else if !variables.isEmpty {
            for (variable, declared) in variables.sorted(by: { $0.key < $1.key }) {
                sink.warning(
                    .templateUnused, "template variable \"\(variable)\" is declared but there is no resource_config to use it",
                    at: declared.location, path: JSONPointer(["template_variables", variable]))
            }
        }
        guard let entity, let name, let resourceType else { return nil }
        return RunQueue(
            entity: entity, name: name, resourceType: resourceType, prioritizationMode: mode, resourceConfig: config,
            templateVariables: variables.mapValues(\.variable), externalLinks: links, policy: policy)
    }

    private static func readLinks(_ node: Node?, sink: inout DiagnosticSink) -> [String: String] {
        guard let node else { return [:] }
        let path = JSONPointer(["external_links"])
        guard let entries = node.entries else {
            if case .null = node.value { return [:] }
            sink.error(.fieldType, "external_links must be a mapping of label to URL, not a \(node.typeName)", at: node.location, path: path)
            return [:]
        }
        var links: [String: String] = [:]
        for entry in entries {
            guard let url = entry.value.string else {
                sink.error(.fieldType, "link \"\(entry.key)\" must be a URL string", at: entry.value.location, path: path.appending(entry.key))
                continue
            }
            if !NameRules.isWebURL(url) {
                sink.error(.urlInvalid, "link \"\(entry.key)\" must be an absolute http(s) URL, got \"\(url)\"", at: entry.value.location, path: path.appending(entry.key))
            }
            links[entry.key] = url
        }
        return links
    }

    private static func readPolicy(_ node: Node?, sink: inout DiagnosticSink) -> Policy {
        guard let node else { return Policy() }
        guard let fields = FieldReader(node, path: JSONPointer(["policy"]), known: ["drift", "prune", "protect"], what: "policy", sink: &sink) else {
            return Policy()
        }
        return Policy(
            drift: fields.choice("drift", as: Policy.Drift.self, required: false, sink: &sink), prune: fields.bool("prune", sink: &sink),
            protect: fields.bool("protect", sink: &sink))
    }
}
