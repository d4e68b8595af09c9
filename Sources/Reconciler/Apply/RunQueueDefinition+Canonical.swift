import Declarations
import JSON
import WandbAPI

extension RunQueueDefinition {
    /// The definition a write sends, from a queue's canonical ``RunQueue/wandbState``.
    init(canonical state: JSONValue) throws {
        guard let entity = state["entity"]?.string, let name = state["name"]?.string, let resourceType = state["resource_type"]?.string else {
            throw ApplyError("a planned queue lacks its entity, name or resource type")
        }
        var variables: [String: TemplateVariableDefinition] = [:]
        for (variable, value) in state["template_variables"]?.object ?? [:] {
            variables[variable] = TemplateVariableDefinition(
                description: value["description"]?.string, schema: value["schema"] ?? .object([:]))
        }
        let links = (state["external_links"]?.object ?? [:]).sorted { $0.key < $1.key }.map { ExternalLink(label: $0.key, url: $0.value.string ?? "") }
        self.init(
            entity: entity, name: name, resourceType: resourceType, config: state["resource_config"] ?? .object([:]),
            templateVariables: variables, prioritizationMode: PrioritizationMode(rawValue: state["prioritization_mode"]?.string ?? "DISABLED"),
            externalLinks: links)
    }
}
