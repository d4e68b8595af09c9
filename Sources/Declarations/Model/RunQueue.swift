import JSON

/// A W&B Launch run queue, as declared (`kind: RunQueue`).
public struct RunQueue: Sendable, Equatable {
    /// The W&B entity (team) that owns the queue.
    public var entity: String
    /// The queue name, 1..64 characters.
    public var name: String
    public var resourceType: ResourceType
    /// `DISABLED` unless declared; `V0` can never go back.
    public var prioritizationMode: PrioritizationMode
    /// The runner's config, unwrapped (no `resource_args`). Always an object.
    public var resourceConfig: JSONValue
    /// Template variables by name.
    public var templateVariables: [String: TemplateVariable]
    /// External links, label to URL.
    public var externalLinks: [String: String]
    public var policy: Policy

    public init(
        entity: String, name: String, resourceType: ResourceType, prioritizationMode: PrioritizationMode = .disabled,
        resourceConfig: JSONValue = .object([:]), templateVariables: [String: TemplateVariable] = [:],
        externalLinks: [String: String] = [:], policy: Policy = Policy()
    ) {
        self.entity = entity
        self.name = name
        self.resourceType = resourceType
        self.prioritizationMode = prioritizationMode
        self.resourceConfig = resourceConfig
        self.templateVariables = templateVariables
        self.externalLinks = externalLinks
        self.policy = policy
    }
}

/// The runner a queue sends jobs to.
public enum ResourceType: String, Sendable, CaseIterable, Codable {
    case localContainer = "local-container"
    case localProcess = "local-process"
    case kubernetes
    case sagemaker
    case gcpVertex = "gcp-vertex"
}

/// Whether items on a queue carry a priority.
public enum PrioritizationMode: String, Sendable, CaseIterable, Codable {
    case v0 = "V0"
    case disabled = "DISABLED"
}

/// What launchq does about an object on W&B; unset fields take the service's defaults.
public struct Policy: Sendable, Equatable {
    /// `correct` puts W&B back as declared; `report` only shows the drift.
    public enum Drift: String, Sendable, CaseIterable, Codable { case correct, report }

    public var drift: Drift?
    /// Delete the queue on W&B when its declaration goes away (overrides the global prune setting for it).
    public var prune: Bool?
    /// launchq never deletes the queue nor makes an irreversible change to it.
    public var protect: Bool?

    public init(drift: Drift? = nil, prune: Bool? = nil, protect: Bool? = nil) {
        self.drift = drift
        self.prune = prune
        self.protect = protect
    }
}
