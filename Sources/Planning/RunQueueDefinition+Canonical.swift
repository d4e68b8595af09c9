import Declarations
import JSON
import WandbModel

/// The one place where a declared queue, a queue read from W&B and a queue write meet.
///
/// A declared ``RunQueue`` and an ``ObservedRunQueue`` both become a ``RunQueueDefinition`` (what a write sends);
/// a definition's ``canonicalState`` is the canonical form the planner compares, plans show as `desired` and the
/// store hashes. For a declared queue it is byte for byte ``RunQueue/wandbState`` (the form its content hash covers).
extension RunQueueDefinition {
    /// The write that makes W&B hold `queue` as declared.
    public init(declared queue: RunQueue) {
        self.init(
            entity: queue.entity, name: queue.name, resourceType: queue.resourceType.rawValue, config: queue.resourceConfig,
            templateVariables: queue.templateVariables.mapValues { TemplateVariableDefinition(description: $0.description, schema: $0.schema.canonical) },
            prioritizationMode: WandbModel.PrioritizationMode(rawValue: queue.prioritizationMode.rawValue),
            externalLinks: queue.externalLinks.sorted { $0.key < $1.key }.map { ExternalLink(label: $0.key, url: $0.value) })
    }

    /// A queue as read from W&B, in the same terms: its config out of the `resource_args` wrapper, a template
    /// variable whose schema is not JSON kept as the schema's text, its access as read.
    public init(observed queue: ObservedRunQueue) {
        let config = RunQueueConfig.unwrap(queue.wrappedConfig ?? queue.config, resourceType: queue.resourceType) ?? queue.config ?? .object([:])
        self.init(
            entity: queue.entity, name: queue.name, resourceType: queue.resourceType ?? "", config: config,
            templateVariables: queue.templateVariables.mapValues {
                TemplateVariableDefinition(description: $0.description, schema: $0.schema ?? .string($0.schemaJSON))
            },
            prioritizationMode: queue.prioritizationMode, externalLinks: queue.externalLinks, access: queue.access)
    }

    /// `{"entity", "name", "resource_type", "prioritization_mode", "resource_config", "template_variables":
    /// {name: {"description"?, "schema"}}, "external_links": {label: url}}`, numbers in canonical form; the access
    /// (W&B's own) is left out. A repeated link label keeps its last URL.
    public var canonicalState: JSONValue {
        var variables: [String: JSONValue] = [:]
        for (name, variable) in templateVariables {
            var members: [String: JSONValue] = ["schema": variable.schema.canonical]
            if let description = variable.description { members["description"] = .string(description) }
            variables[name] = .object(members)
        }
        var links: [String: JSONValue] = [:]
        for link in externalLinks { links[link.label] = .string(link.url) }
        return .object([
            "entity": .string(entity),
            "name": .string(name),
            "resource_type": .string(resourceType),
            "prioritization_mode": .string(prioritizationMode.rawValue),
            "resource_config": config.canonical,
            "template_variables": .object(variables),
            "external_links": .object(links),
        ])
    }
}
