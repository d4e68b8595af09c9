import JSON

/// A queue as it should be on W&B: what a write sends.
public struct RunQueueDefinition: Sendable, Hashable, Codable {
    /// The entity (user or team) that owns the queue.
    public var entity: String
    /// The queue's name (1 to 64 characters).
    public var name: String
    /// `kubernetes`, `local-container`, `local-process`, `sagemaker`, `gcp-vertex`, ...
    public var resourceType: String
    /// The config as the user writes it (without the `resource_args` wrapper).
    public var config: JSONValue
    /// Template variables by name.
    public var templateVariables: [String: TemplateVariableDefinition]
    public var prioritizationMode: PrioritizationMode
    public var externalLinks: [ExternalLink]
    /// Who may push; only the create path sends it (`upsertRunQueue` has no such input).
    public var access: RunQueueAccess

    public init(
        entity: String,
        name: String,
        resourceType: String,
        config: JSONValue = .object([:]),
        templateVariables: [String: TemplateVariableDefinition] = [:],
        prioritizationMode: PrioritizationMode = .disabled,
        externalLinks: [ExternalLink] = [],
        access: RunQueueAccess = .project
    ) {
        self.entity = entity
        self.name = name
        self.resourceType = resourceType
        self.config = config
        self.templateVariables = templateVariables
        self.prioritizationMode = prioritizationMode
        self.externalLinks = externalLinks
        self.access = access
    }

    /// The stored config text, `{"resource_args":{"<type>":<config>}}` (sorted keys).
    public var wrappedConfigJSON: String {
        CanonicalJSON.string(RunQueueConfig.wrap(config, resourceType: resourceType))
    }

    /// The template variables as W&B takes them: a JSON map
    /// `{"<name>": {"description": .., "schema": {..}}}` (`{}` when there are none).
    public var templateVariablesJSON: String {
        let members = templateVariables.mapValues { variable -> JSONValue in
            var entry: [String: JSONValue] = ["schema": variable.schema]
            if let description = variable.description { entry["description"] = .string(description) }
            return .object(entry)
        }
        return CanonicalJSON.string(.object(members))
    }

    /// The links as W&B takes them, `{"links":[{"label":..,"url":..}]}`.
    public var externalLinksJSON: String {
        CanonicalJSON.string(ExternalLink.wireValue(externalLinks))
    }
}

/// A template variable as it should be declared on a queue.
public struct TemplateVariableDefinition: Sendable, Hashable, Codable {
    public var description: String?
    /// A JSON schema: `{"type": "string"|"integer"|"number", "default"?, "enum"?, "minimum"?, "maximum"?}`.
    public var schema: JSONValue

    public init(description: String? = nil, schema: JSONValue) {
        self.description = description
        self.schema = schema
    }
}
