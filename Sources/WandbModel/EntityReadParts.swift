/// What a batched entity read fetches besides the entity itself.
public struct EntityReadParts: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The run queues of the entity's `model-registry` project, with configs and template variables.
    public static let runQueues = EntityReadParts(rawValue: 1 << 0)
    /// The entity's members (team members and pending invites).
    public static let members = EntityReadParts(rawValue: 1 << 1)
    /// The entity's projects (every page).
    public static let projects = EntityReadParts(rawValue: 1 << 2)
    /// With ``runQueues``: each queue's first ``QueueBacklog/pageSize`` items (`id createdAt state`), for
    /// ``ObservedRunQueue/backlog``. Not part of ``all``: only `launchq serve` asks for it (its gauges,
    /// `/v1/objects` and status page); `plan`, `apply` and `import` send the documents they always sent.
    public static let backlog = EntityReadParts(rawValue: 1 << 3)
    /// The entity, its queues, members and projects (not the ``backlog``).
    public static let all: EntityReadParts = [.runQueues, .members, .projects]
}
