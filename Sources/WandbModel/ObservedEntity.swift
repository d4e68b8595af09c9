/// One entity (a user's or a team's namespace) read in a batch, with the parts asked for.
public struct ObservedEntity: Sendable, Hashable {
    /// The entity's name (as asked).
    public var name: String
    /// Whether the server knows the entity.
    public var exists: Bool
    /// The server's id, when it exists.
    public var id: String?
    /// Whether the entity is a team, when it exists.
    public var isTeam: Bool?
    /// The queues of its `model-registry` project (empty when the project does not exist),
    /// sorted by name; empty unless ``EntityReadParts/runQueues`` was read.
    public var runQueues: [ObservedRunQueue]
    /// Its members; empty unless ``EntityReadParts/members`` was read.
    public var members: [ObservedTeamMember]
    /// Its projects, sorted by name; empty unless ``EntityReadParts/projects`` was read.
    public var projects: [ObservedProject]
    /// What was read.
    public var parts: EntityReadParts

    public init(
        name: String, exists: Bool, id: String? = nil, isTeam: Bool? = nil, runQueues: [ObservedRunQueue] = [],
        members: [ObservedTeamMember] = [], projects: [ObservedProject] = [], parts: EntityReadParts
    ) {
        self.name = name
        self.exists = exists
        self.id = id
        self.isTeam = isTeam
        self.runQueues = runQueues
        self.members = members
        self.projects = projects
        self.parts = parts
    }
}
