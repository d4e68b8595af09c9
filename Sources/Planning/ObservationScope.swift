import Declarations

/// The entities and users a set of declarations touches: what the observer reads.
public struct ObservationScope: Sendable, Codable, Equatable {
    /// Entity names, sorted.
    public var entities: [String]
    /// User references (lower-cased emails, usernames), sorted.
    public var users: [String]

    public init(entities: [String] = [], users: [String] = []) {
        self.entities = entities
        self.users = users
    }

    public init(_ declarations: [Declaration], extraEntities: [String] = []) {
        var entityNames = Set(extraEntities)
        var userReferences = Set<String>()
        for declaration in declarations {
            switch declaration.object {
            case .runQueue(let queue): entityNames.insert(queue.entity)
            case .project(let project): entityNames.insert(project.entity)
            case .team(let team):
                entityNames.insert(team.name)
                if let admin = team.admin { userReferences.insert(Self.reference(admin)) }
                for member in team.members { userReferences.insert(Self.reference(member.user)) }
            case .user(let user): userReferences.insert(user.email.lowercased())
            case .policy: break  // launchq's own: nothing on W&B to read
            }
        }
        entities = entityNames.sorted()
        users = userReferences.sorted()
    }

    /// Emails compare case-insensitively; usernames as written.
    static func reference(_ user: String) -> String { user.contains("@") ? user.lowercased() : user }
}
