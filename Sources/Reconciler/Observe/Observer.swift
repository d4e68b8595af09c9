import Declarations
import WandbAPI

/// Reads the W&B state of everything a set of declarations touches, in batched requests.
public struct Observer: Sendable {
    public let client: WandbClient

    public init(client: WandbClient) {
        self.client = client
    }

    /// Entities named by queues, projects and teams (plus `extraEntities`), and every user named by
    /// User declarations, team admins and members.
    public func observe(_ declarations: [Declaration], extraEntities: [String] = []) async throws -> ObservedState {
        try await observe(ObservationScope(declarations, extraEntities: extraEntities))
    }

    /// Reads exactly `scope`: the entities with their queues, projects and members, and the users.
    public func observe(_ scope: ObservationScope) async throws -> ObservedState {
        async let entities = client.readEntities(scope.entities, including: .all)
        async let users = scope.users.isEmpty ? [:] : client.users(matching: scope.users)

        var state = ObservedState(scope: scope)
        var read = try await entities
        // Convert one entity at a time and let go of the client's copy, so a large read is not held twice.
        for name in Array(read.keys) {
            guard let entity = read.removeValue(forKey: name) else { continue }
            state.entities[name] = ObservedState.Entity(
                name: name, exists: entity.exists, isTeam: entity.isTeam ?? false, queues: entity.runQueues,
                projects: Dictionary(
                    entity.projects.map { ($0.name, ObservedState.Project(id: $0.id, description: $0.description)) },
                    uniquingKeysWith: { first, _ in first }),
                members: entity.members)
        }
        for (query, user) in try await users { state.users[query.contains("@") ? query.lowercased() : query] = user }
        return state
    }
}

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
            }
        }
        entities = entityNames.sorted()
        users = userReferences.sorted()
    }

    /// Emails compare case-insensitively; usernames as written.
    static func reference(_ user: String) -> String { user.contains("@") ? user.lowercased() : user }
}
