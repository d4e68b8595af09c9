import GraphQL

/// `Project`.
struct ProjectNode: GraphQLNode {
    let state: SandboxState
    let project: ProjectRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return project.id
        case "name": return project.name
        case "entityName": return state.entities[project.entityID]?.name
        case "entity": return state.entities[project.entityID].map { EntityNode(state: state, entity: $0) }
        case "createdAt": return project.createdAt
        case "updatedAt": return project.updatedAt
        case "isBenchmark", "readOnly": return false
        case "description": return project.description
        case "access": return project.access
        case "views": return project.views
        case "user": return state.users[project.creatorUserID].map { UserNode(state: state, user: $0) }
        case "runQueue":
            guard let name = arguments[string: "name"] else { return nil }
            return state.runQueue(named: name, projectID: project.id).map { RunQueueNode(state: state, queue: $0) }
        case "runQueues":
            return state.runQueues(projectID: project.id).map { RunQueueNode(state: state, queue: $0) as (any Sendable)? }
        default: return nil
        }
    }
}
