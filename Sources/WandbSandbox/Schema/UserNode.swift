import GraphQL

/// `User`.
struct UserNode: GraphQLNode {
    let state: SandboxState
    let user: UserRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return user.id
        case "name": return user.name
        case "username": return user.username
        case "email": return user.email
        case "admin": return user.admin
        case "flags": return "{}"
        case "entity": return user.entityName
        case "deletedAt": return user.deletedAt
        case "accountType": return user.accountType
        case "createdAt": return user.createdAt
        case "photoUrl": return ""
        case "apiKeys":
            // Keys are secrets: only their owner and instance admins see them.
            guard context.viewer.id == user.id || context.viewer.admin else { return nil }
            return try Connection.page(
                state.apiKeys(userID: user.id), serial: \.serial, first: arguments[int: "first"],
                after: arguments[string: "after"], node: { APIKeyNode.object($0) })
        case "teams":
            return try Connection.page(
                state.teams(of: user.id), serial: \.serial, first: arguments[int: "first"],
                after: arguments[string: "after"], node: { EntityNode(state: state, entity: $0) })
        default: return nil
        }
    }
}

/// `ApiKey` (the `name` is the secret, as on W&B).
enum APIKeyNode {
    static func object(_ key: APIKeyRecord) -> Object {
        ["id": key.id, "name": key.secret, "description": key.description]
    }
}
