import Declarations
import Planning
import WandbAPI
import WandbModel

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
