import GraphQL

/// `DefaultResourceConfig`.
struct ResourceConfigNode: GraphQLNode {
    let state: SandboxState
    let config: ResourceConfigRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return config.id
        case "resource": return config.resource
        case "config": return config.config.map
        case "templateVariables":
            return config.templateVariables.map { variable in
                ["name": variable.name, "description": variable.description, "schema": variable.schema] as Object as (any Sendable)?
            }
        case "scope":
            let projectScoped = config.projectID != nil
            let serial = projectScoped
                ? config.projectID.flatMap { state.projects[$0]?.serial } ?? 0
                : state.entities[config.entityID]?.serial ?? 0
            return ["ID": serial, "Type": projectScoped ? "PROJECT" : "ENTITY"] as Object
        case "createdAt": return config.createdAt
        case "updatedAt": return config.updatedAt
        default: return nil
        }
    }
}
