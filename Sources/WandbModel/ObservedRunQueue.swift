import JSON

/// A Launch run queue as it is on W&B, with its resource config and template variables.
public struct ObservedRunQueue: Sendable, Hashable, Identifiable {
    /// The server's id for the queue (what `deleteRunQueues` takes).
    public var id: String
    /// The entity (user or team) owning the queue.
    public var entity: String
    /// The queue's name.
    public var name: String
    /// The resource type of its config (`kubernetes`, `local-container`, ...); `nil` when the
    /// queue has no config.
    public var resourceType: String?
    /// The config as the user wrote it: `resource_args[<resourceType>]` of the stored config;
    /// `nil` when the stored config does not have that shape (see ``wrappedConfig``).
    public var config: JSONValue?
    /// The config as stored, `{"resource_args": {"<resourceType>": ...}}`.
    public var wrappedConfig: JSONValue?
    /// The template variables, by name.
    public var templateVariables: [String: ObservedTemplateVariable]
    /// Whether items carry priorities.
    public var prioritizationMode: PrioritizationMode
    /// The queue's links.
    public var externalLinks: [ExternalLink]
    /// The links as the server sent them (`{"links": [...]}`), `nil` if it sent none.
    public var externalLinksJSON: JSONValue?
    /// Who may push to the queue.
    public var access: RunQueueAccess
    /// The id of the queue's config object.
    public var defaultResourceConfigID: String?
    /// What waits on the queue; `nil` unless ``EntityReadParts/backlog`` was read, and when the server's answer
    /// held no readable item list for it (the backlog never fails a read).
    public var backlog: QueueBacklog? = nil

    public init(
        id: String,
        entity: String,
        name: String,
        resourceType: String?,
        wrappedConfig: JSONValue?,
        templateVariables: [String: ObservedTemplateVariable],
        prioritizationMode: PrioritizationMode,
        externalLinksJSON: JSONValue?,
        access: RunQueueAccess,
        defaultResourceConfigID: String?
    ) {
        self.id = id
        self.entity = entity
        self.name = name
        self.resourceType = resourceType
        self.wrappedConfig = wrappedConfig
        self.config = RunQueueConfig.unwrap(wrappedConfig, resourceType: resourceType)
        self.templateVariables = templateVariables
        self.prioritizationMode = prioritizationMode
        self.externalLinksJSON = externalLinksJSON
        self.externalLinks = ExternalLink.links(fromWire: externalLinksJSON)
        self.access = access
        self.defaultResourceConfigID = defaultResourceConfigID
    }
}

/// The `resource_args` wrapper W&B stores queue configs in.
public enum RunQueueConfig {
    /// `{"resource_args": {resourceType: config}}`, what the SDK sends.
    public static func wrap(_ config: JSONValue, resourceType: String) -> JSONValue {
        .object(["resource_args": .object([resourceType: config])])
    }

    /// The user's config inside a stored one: `resource_args[resourceType]`, or the only member
    /// of `resource_args` when it has exactly one (e.g. `vertex` stored for `gcp-vertex`).
    /// `nil` when `wrapped` has no `resource_args` object.
    public static func unwrap(_ wrapped: JSONValue?, resourceType: String?) -> JSONValue? {
        guard let arguments = wrapped?["resource_args"]?.object else { return nil }
        if let resourceType, let config = arguments[resourceType] { return config }
        if arguments.count == 1 { return arguments.first?.value }
        return nil
    }
}
