import GraphQL

/// The fields of `Mutation`. Each one applies one all-or-nothing change through the store and answers with
/// nodes that read the state right after it.
struct MutationRoot: GraphQLNode {
    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        let input = arguments["input"]
        let caller = context.viewer
        let store = context.store
        let clientMutationId = input[string: "clientMutationId"]

        switch field {
        case "upsertModel":
            let upsert = SandboxState.ProjectUpsert(
                entityName: input[string: "entityName"], name: input[string: "name"], description: input[string: "description"],
                access: input[string: "access"], views: input[string: "views"])
            let ((project, inserted), state) = try await store.mutate { state, now throws(SandboxError) in
                try state.upsertProject(upsert, caller: caller, now: now)
            }
            let node = ProjectNode(state: state, project: project)
            return [
                "clientMutationId": clientMutationId, "entityName": state.entities[project.entityID]?.name,
                "inserted": inserted, "model": node, "project": node,
            ] as Object

        case "createDefaultResourceConfig":
            let (config, _) = try await store.mutate { state, now throws(SandboxError) in
                try state.createResourceConfig(
                    entityName: input[string: "entityName"], projectName: input[string: "projectName"],
                    resource: input[string: "resource"] ?? "", config: input[string: "config"] ?? "",
                    templateVariables: input[string: "templateVariables"], caller: caller, now: now)
            }
            return ["clientMutationId": clientMutationId, "defaultResourceConfigID": config.id, "success": true] as Object

        case "updateDefaultResourceConfig":
            let (config, _) = try await store.mutate { state, now throws(SandboxError) in
                try state.updateResourceConfig(
                    id: input[string: "defaultResourceConfigID"] ?? "", resource: input[string: "resource"],
                    config: input[string: "config"] ?? "", caller: caller, now: now)
            }
            return ["defaultResourceConfigID": config.id, "success": true] as Object

        case "deleteDefaultResourceConfigs":
            let (count, _) = try await store.mutate { state, _ throws(SandboxError) in
                try state.deleteResourceConfigs(ids: input[strings: "defaultResourceConfigIDs"] ?? [], caller: caller)
            }
            return ["clientMutationId": clientMutationId, "numAffected": count, "success": true] as Object

        case "createRunQueue":
            let (queue, _) = try await store.mutate { state, now throws(SandboxError) in
                try state.createRunQueue(
                    entityName: input[string: "entityName"], projectName: input[string: "projectName"],
                    queueName: input[string: "queueName"] ?? "", access: input[string: "access"] ?? "PROJECT",
                    prioritizationMode: input[string: "prioritizationMode"],
                    defaultResourceConfigID: input[string: "defaultResourceConfigID"], caller: caller, now: now)
            }
            return ["clientMutationId": clientMutationId, "success": true, "queueID": queue.id] as Object

        case "upsertRunQueue":
            let upsert = SandboxState.RunQueueUpsert(
                entityName: input[string: "entityName"], projectName: input[string: "projectName"],
                queueName: input[string: "queueName"] ?? "", resourceType: input[string: "resourceType"] ?? "",
                resourceConfig: input[string: "resourceConfig"] ?? "", templateVariables: input[string: "templateVariables"],
                prioritizationMode: input[string: "prioritizationMode"], externalLinks: input[string: "externalLinks"])
            let ((_, warnings), _) = try await store.mutate { state, now throws(SandboxError) in
                try state.upsertRunQueue(upsert, caller: caller, now: now)
            }
            return [
                "clientMutationId": clientMutationId, "success": true,
                "configSchemaValidationErrors": warnings.map { $0 as (any Sendable)? },
            ] as Object

        case "deleteRunQueues":
            let dropsItems = await store.deletesQueuesWithItems
            _ = try await store.mutate { state, _ throws(SandboxError) in
                try state.deleteRunQueues(ids: input[strings: "queueIDs"] ?? [], caller: caller, dropsItems: dropsItems)
            }
            return ["clientMutationId": clientMutationId, "success": true] as Object

        case "pushToRunQueue":
            let (item, _) = try await store.mutate { state, now throws(SandboxError) in
                try state.pushToRunQueue(
                    queueID: input[string: "queueID"] ?? "", runSpec: input[string: "runSpec"] ?? "",
                    templateVariableValues: input[string: "templateVariableValues"], priority: input[int: "priority"],
                    caller: caller, now: now)
            }
            return [
                "clientMutationId": clientMutationId, "runQueueItemId": item.id,
                "runSpec": item.runSpec.map,
            ] as Object

        case "pushToRunQueueByName":
            let (item, _) = try await store.mutate { state, now throws(SandboxError) in
                try state.pushToRunQueue(
                    byName: input[string: "queueName"] ?? "", entityName: input[string: "entityName"], projectName: input[string: "projectName"],
                    runSpec: input[string: "runSpec"] ?? "", templateVariableValues: input[string: "templateVariableValues"],
                    priority: input[int: "priority"], caller: caller, now: now)
            }
            return [
                "clientMutationId": clientMutationId, "runQueueItemId": item.id, "runSpec": item.runSpec.compactText,
            ] as Object

        case "createTeam", "createEntity":
            let name = input[string: field == "createTeam" ? "teamName" : "name"] ?? ""
            let adminUsername = field == "createTeam" ? input[string: "teamAdminUserName"] : nil
            let (team, state) = try await store.mutate { state, now throws(SandboxError) in
                try state.createTeam(name: name, adminUsername: adminUsername, caller: caller, now: now)
            }
            return ["clientMutationId": clientMutationId, "entity": EntityNode(state: state, entity: team)] as Object

        case "createInvite":
            let (outcome, state) = try await store.mutate { state, now throws(SandboxError) in
                try state.invite(
                    team: input[string: "entityName"], email: input[string: "email"], username: input[string: "username"],
                    admin: input[bool: "admin"] ?? false, caller: caller, now: now)
            }
            let invite: Object
            switch outcome {
            case .pending(let record):
                invite = [
                    "id": record.id, "name": record.email, "email": record.email, "createdAt": record.createdAt,
                    "accepted": false, "toUser": nil as String?,
                ]
            case .joined(let user, _):
                invite = [
                    "id": user.id, "name": user.username, "email": user.email, "createdAt": user.createdAt,
                    "accepted": true, "toUser": UserNode(state: state, user: user),
                ]
            }
            let entity = state.entity(named: input[string: "entityName"] ?? "").map { EntityNode(state: state, entity: $0) }
            return ["clientMutationId": clientMutationId, "invite": invite, "entity": entity, "success": true] as Object

        case "deleteInvite":
            _ = try await store.mutate { state, now throws(SandboxError) in
                try state.removeMemberOrInvite(id: input[string: "id"], team: input[string: "entityName"], caller: caller, now: now)
            }
            return ["clientMutationId": clientMutationId, "success": true] as Object

        case "createServiceAccount":
            let secret = APIKeySecret.generate()
            let (account, state) = try await store.mutate { state, now throws(SandboxError) in
                try state.createServiceAccount(
                    team: input[string: "entityName"], description: input[string: "description"], caller: caller,
                    secret: secret, now: now)
            }
            return ["clientMutationId": clientMutationId, "user": UserNode(state: state, user: account)] as Object

        case "createUser":
            let (user, state) = try await store.mutate { state, now throws(SandboxError) in
                try state.createUser(email: input[string: "email"] ?? "", admin: input[bool: "admin"] ?? false, caller: caller, now: now)
            }
            return ["clientMutationId": clientMutationId, "user": UserNode(state: state, user: user)] as Object

        case "generateApiKey":
            let secret = APIKeySecret.generate()
            let (key, _) = try await store.mutate { state, now throws(SandboxError) in
                state.generateAPIKey(for: caller.id, description: input[string: "description"], secret: secret, now: now)
            }
            return ["clientMutationId": clientMutationId, "apiKey": APIKeyNode.object(key)] as Object

        case "deleteApiKey":
            _ = try await store.mutate { state, _ throws(SandboxError) in
                try state.deleteAPIKey(id: input[string: "id"] ?? "", caller: caller)
            }
            return ["clientMutationId": clientMutationId, "success": true] as Object

        default:
            return nil
        }
    }
}

/// New API key secrets: 40 random lower-case letters and digits (the length the SDK requires).
enum APIKeySecret {
    static func generate() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
