import GraphQL

/// `Entity`: a personal entity or a team.
struct EntityNode: GraphQLNode {
    let state: SandboxState
    let entity: EntityRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return entity.id
        case "name": return entity.name
        case "available": return false
        case "photoUrl": return ""
        case "readOnly", "readOnlyAdmin", "privateOnly", "isPaid": return false
        case "isTeam": return entity.isTeam
        case "entityType": return entity.isTeam ? "TEAM" : "USER"
        case "storageBytes": return 0
        case "codeSavingEnabled": return true
        case "defaultAccess": return entity.defaultAccess
        case "limits": return "{}"
        case "members": return members(viewer: context.viewer)
        case "memberCount": return entity.members.count
        case "createdAt": return entity.createdAt
        case "updatedAt": return entity.updatedAt
        case "defaultResourceConfig":
            guard let id = arguments[string: "id"], let config = state.resourceConfigs[id], config.entityID == entity.id else {
                return nil
            }
            return ResourceConfigNode(state: state, config: config)
        case "defaultResourceConfigs":
            let configs = state.resourceConfigs(entityID: entity.id)
            return try Connection.page(
                configs, serial: \.serial, first: arguments[int: "first"], after: arguments[string: "after"],
                node: { ResourceConfigNode(state: state, config: $0) })
        case "projects":
            return try Connection.page(
                state.projects(entityID: entity.id), serial: \.serial, first: arguments[int: "first"],
                after: arguments[string: "after"], node: { ProjectNode(state: state, project: $0) })
        default: return nil
        }
    }

    /// Members in join order, then pending invites. A member's `id` is the user's id (what `deleteInvite`
    /// takes); a service account's `apiKey` is shown to those who administer the entity.
    func members(viewer: UserRecord) -> [(any Sendable)?] {
        let showKeys = state.canAdminister(entity, caller: viewer)
        var result: [(any Sendable)?] = []
        for membership in entity.members {
            guard let user = state.users[membership.userID], user.deletedAt == nil else { continue }
            let key = user.accountType == "SERVICE" && showKeys ? state.apiKeys(userID: user.id).first?.secret : nil
            result.append([
                "id": user.id, "admin": membership.admin, "pending": false, "email": user.email,
                "username": user.username, "name": user.name, "photoUrl": "", "accountType": user.accountType,
                "apiKey": key, "role": membership.admin ? "admin" : "member",
            ] as Object)
        }
        for invite in state.pendingInvites(entityID: entity.id) {
            result.append([
                "id": invite.id, "admin": invite.admin, "pending": true, "email": invite.email,
                "username": nil as String?, "name": invite.email, "photoUrl": "", "accountType": "USER",
                "apiKey": nil as String?, "role": invite.admin ? "admin" : "member",
            ] as Object)
        }
        return result
    }
}
