import Declarations
import Planning
import WandbAPI
import WandbModel

/// Reads the W&B state of everything a set of declarations touches, in batched requests.
public struct Observer: Sendable {
    public let client: WandbClient
    /// What each entity read fetches: ``EntityReadParts/all``, plus the queue backlog for `launchq serve`
    /// (``readingBacklog(_:)``).
    public var parts: EntityReadParts = .all

    public init(client: WandbClient) {
        self.client = client
    }

    /// Entities named by queues, projects and teams (plus `extraEntities`), and every user named by
    /// User declarations, team admins and members.
    public func observe(_ declarations: [Declaration], extraEntities: [String] = []) async throws -> ObservedState {
        try await observe(ObservationScope(declarations, extraEntities: extraEntities))
    }

    /// Reads exactly `scope`: the entities with their queues, projects and members, and the users; and, when an
    /// entity came back absent (or not visible to the key), the key's user with its admin flag.
    /// - Throws: ``WandbAPIError``; `permissionDenied` with one message for all User and team-member
    ///   declarations when the key may not look users up (`users(query:)` is admin-only).
    /// `viewer`: the key's user when already read (a fleet observed in chunks reads it once).
    public func observe(_ scope: ObservationScope, viewer: ObservedUser? = nil) async throws -> ObservedState {
        async let entities = client.readEntities(scope.entities, including: parts)
        async let users = lookUpUsers(scope.users)

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
        if state.entities.values.contains(where: { !$0.exists }) {
            if let viewer { state.viewer = viewer } else { state.viewer = try await client.currentUser() }
        }
        return state
    }

    private func lookUpUsers(_ references: [String]) async throws -> [String: ObservedUser] {
        guard !references.isEmpty else { return [:] }
        do {
            return try await client.users(matching: references)
        } catch var error as WandbAPIError where error.code == .permissionDenied {
            error.message = "User declarations, team admins and team members need an instance-admin API key: launchq looks users up "
                + "with users(query:), which W&B allows only instance administrators (self-managed W&B). This key may not "
                + "(\(references.count) user reference(s) not looked up). Use an admin key, or declare no users, team admins or members."
            throw error
        }
    }
}
