import GraphQL

/// The fields of `Query`, read from the request's snapshot.
struct QueryRoot: GraphQLNode {
    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        let state = context.snapshot
        switch field {
        case "viewer":
            return UserNode(state: state, user: context.viewer)
        case "users":
            let users = try state.searchUsers(
                query: arguments[string: "query"], usernames: arguments[strings: "usernames"], ids: arguments[strings: "ids"],
                caller: context.viewer)
            return try Connection.page(
                users, serial: \.serial, first: arguments[int: "first"], after: arguments[string: "after"],
                node: { UserNode(state: state, user: $0) })
        case "user":
            let found: UserRecord?
            if let id = arguments[string: "id"] {
                found = state.users[id]
            } else if let username = arguments[string: "userName"] {
                found = state.user(username: username)
            } else {
                found = nil
            }
            // Other accounts are visible to instance admins only.
            guard let found, found.id == context.viewer.id || context.viewer.admin else { return nil }
            return UserNode(state: state, user: found)
        case "entity":
            guard let name = arguments[string: "name"] ?? context.viewer.entityName else { return nil }
            return state.entity(named: name).map { EntityNode(state: state, entity: $0) }
        case "project":
            guard let name = arguments[string: "name"],
                let entityName = arguments[string: "entityName"] ?? context.viewer.entityName,
                let entity = state.entity(named: entityName)
            else { return nil }
            return state.project(named: name, entityID: entity.id).map { ProjectNode(state: state, project: $0) }
        case "models", "projects":
            let projects: [ProjectRecord]
            if let entityName = arguments[string: "entityName"] {
                guard let entity = state.entity(named: entityName) else {
                    throw SandboxError.notFound("entity \"\(entityName)\" not found")
                }
                projects = state.projects(entityID: entity.id)
            } else if context.viewer.admin {
                projects = state.sorted(state.projects.values, by: \.serial)
            } else {
                let mine = Set(state.entities.values.filter { state.canWrite($0, caller: context.viewer) }.map(\.id))
                projects = state.sorted(state.projects.values.filter { mine.contains($0.entityID) }, by: \.serial)
            }
            return try Connection.page(
                projects, serial: \.serial, first: arguments[int: "first"] ?? arguments[int: "pageSize"],
                after: arguments[string: "after"], node: { ProjectNode(state: state, project: $0) })
        case "serverInfo":
            return [
                "cliVersionInfo": ["max_cli_version": "0.31.0"] as Map,
                "latestLocalVersionInfo": [
                    "outOfDate": false, "latestVersionString": "sandbox", "versionOnThisInstanceString": "sandbox",
                ] as Object,
                "features": [(any Sendable)?](),
            ] as Object
        default:
            return nil
        }
    }
}
