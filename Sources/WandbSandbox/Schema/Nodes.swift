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
            let configs = state.sorted(state.resourceConfigs.values.filter { $0.entityID == entity.id }, by: \.serial)
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

/// `RunQueue`.
struct RunQueueNode: GraphQLNode {
    let state: SandboxState
    let queue: RunQueueRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return queue.id
        case "name": return queue.name
        case "access": return queue.access
        case "createdAt": return queue.createdAt
        case "updatedAt": return queue.updatedAt
        case "createdBy": return queue.createdBy
        case "defaultResourceConfigID": return queue.defaultResourceConfigID
        case "entityName": return state.entities[queue.entityID]?.name
        case "defaultResourceConfig":
            return queue.defaultResourceConfigID.flatMap { state.resourceConfigs[$0] }.map { ResourceConfigNode(state: state, config: $0) }
        case "prioritizationMode": return queue.prioritizationMode
        case "externalLinks": return try queue.externalLinks.map { try JSONValue(parsing: $0).map }
        case "runQueueItem":
            guard let id = arguments[string: "id"], let item = state.runQueueItems[id], item.queueID == queue.id else { return nil }
            return try RunQueueItemNode.object(item)
        case "runQueueItems":
            return try Connection.page(
                state.items(queueID: queue.id), serial: \.serial, first: arguments[int: "first"],
                after: arguments[string: "after"], node: { try? RunQueueItemNode.object($0) })
        default: return nil
        }
    }
}

/// `RunQueueItem`.
enum RunQueueItemNode {
    static func object(_ item: RunQueueItemRecord) throws -> Object {
        [
            "id": item.id, "createdAt": item.createdAt, "updatedAt": item.createdAt,
            "runSpec": try JSONValue(parsing: item.runSpec).map, "state": item.state,
            "associatedRunId": nil as String?, "launchAgentId": nil as String?,
        ]
    }
}

/// `DefaultResourceConfig`.
struct ResourceConfigNode: GraphQLNode {
    let state: SandboxState
    let config: ResourceConfigRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return config.id
        case "resource": return config.resource
        case "config": return try JSONValue(parsing: config.config).map
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
