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
    /// Everything.
    public static let all: EntityReadParts = [.runQueues, .members, .projects]
}
