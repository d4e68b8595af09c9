import Logging
import JSON
import WandbModel

extension WandbClient {
    // MARK: - Projects

    /// Creates a project, or leaves an existing one as it is (`upsertModel`; idempotent).
    /// - Returns: the project as the server answered, if it sent one.
    @discardableResult
    public func upsertProject(name: String, entity: String, description: String? = nil) async throws
        -> ObservedProject?
    {
        let operation = Operations.createProject
        var input: [String: JSONValue] = ["entityName": .string(entity), "name": .string(name)]
        if let description { input["description"] = .string(description) }
        let data = try await execute(operation, variables: ["input": .object(input)])
        if name == Operations.launchProject { cache.rememberLaunchProject(entity) }
        let result = data["result"]
        guard let project = result?["project"] ?? result?["model"], !project.isNull else { return nil }
        return try Wire.project(project, entity: entity, in: operation.name)
    }

    /// Makes sure the entity's `model-registry` project exists (as the SDK does before each
    /// queue write); remembered per client, so at most one request per entity.
    public func ensureLaunchProject(entity: String) async throws {
        if cache.hasLaunchProject(entity) { return }
        try await upsertProject(name: Operations.launchProject, entity: entity)
    }

    // MARK: - Run queues

    /// Creates or updates a queue with one idempotent `upsertRunQueue` (after
    /// ``ensureLaunchProject(entity:)``). Retried on 429/5xx/connection errors.
    /// - Throws: `mutationFailed` when the server answers `success: false`.
    public func upsertRunQueue(_ queue: RunQueueDefinition) async throws -> UpsertRunQueueResult {
        try await ensureLaunchProject(entity: queue.entity)
        let operation = Operations.upsertRunQueue
        let data = try await execute(
            operation,
            variables: [
                "entityName": .string(queue.entity),
                "projectName": .string(Operations.launchProject),
                "queueName": .string(queue.name),
                "resourceType": .string(queue.resourceType),
                "resourceConfig": .string(queue.wrappedConfigJSON),
                "templateVariables": .string(queue.templateVariablesJSON),
                "prioritizationMode": .string(queue.prioritizationMode.rawValue),
                "externalLinks": .string(queue.externalLinksJSON),
                "clientMutationId": .null,
            ])
        let payload = data["upsertRunQueue"]
        guard payload?["success"]?.bool == true else {
            throw Self.mutationFailed(operation, "upsertRunQueue did not succeed for queue \(queue.entity)/\(queue.name)")
        }
        let errors = (payload?["configSchemaValidationErrors"]?.array ?? []).compactMap(\.string)
        return UpsertRunQueueResult(configSchemaValidationErrors: errors)
    }

    /// Creates the config object of a new queue (`createDefaultResourceConfig`). Not retried
    /// on 5xx: a repeat would leave a second config.
    /// - Returns: the new config's id.
    public func createDefaultResourceConfig(for queue: RunQueueDefinition) async throws -> String {
        let operation = Operations.createDefaultResourceConfig
        let data = try await execute(
            operation,
            variables: [
                "entityName": .string(queue.entity),
                "resource": .string(queue.resourceType),
                "config": .string(queue.wrappedConfigJSON),
                "templateVariables": .string(queue.templateVariablesJSON),
            ])
        let payload = data["createDefaultResourceConfig"]
        guard payload?["success"]?.bool == true,
            let id = Wire.optionalString(payload?["defaultResourceConfigID"])
        else {
            throw Self.mutationFailed(operation, "createDefaultResourceConfig did not succeed for queue \(queue.entity)/\(queue.name)")
        }
        return id
    }

    /// Creates a queue pointing at an existing config (`createRunQueue`). Not retried on 5xx:
    /// a repeat would fail or duplicate; read the entity's queues first when the outcome is unknown.
    /// - Returns: the new queue's id, when the server says.
    @discardableResult
    public func createRunQueue(_ queue: RunQueueDefinition, defaultResourceConfigID: String) async throws -> String? {
        try await ensureLaunchProject(entity: queue.entity)
        let operation = Operations.createRunQueue
        let data = try await execute(
            operation,
            variables: [
                "entity": .string(queue.entity),
                "project": .string(Operations.launchProject),
                "queueName": .string(queue.name),
                "access": .string(queue.access.rawValue),
                "prioritizationMode": queue.prioritizationMode == .v0 ? .string(PrioritizationMode.v0.rawValue) : .null,
                "defaultResourceConfigID": .string(defaultResourceConfigID),
            ])
        let payload = data["createRunQueue"]
        guard payload?["success"]?.bool == true else {
            throw Self.mutationFailed(operation, "createRunQueue did not succeed for queue \(queue.entity)/\(queue.name)")
        }
        return Wire.optionalString(payload?["queueID"])
    }

    /// Writes a queue with the SDK's `upsertRunQueue` (no introspection: W&B's minimum supported server, 0.63.0,
    /// has it). On a server that answers `Cannot query field "upsertRunQueue"` (older than 0.63.0; remembered for
    /// the client's life) a new queue is created the way the SDK's `create_run_queue` does
    /// (`createDefaultResourceConfig` + `createRunQueue`).
    /// - Parameter existing: the queue as observed, when it exists.
    /// - Throws: `unsupported` for an `existing` queue on such a server (only 0.63.0 or newer can update it), and
    ///   for a new queue with external links there (`createRunQueue` cannot store them).
    public func putRunQueue(_ queue: RunQueueDefinition, existing: ObservedRunQueue?) async throws -> RunQueueWrite {
        if !cache.lacksUpsertRunQueue {
            do {
                return .upserted(try await upsertRunQueue(queue))
            } catch let error as WandbAPIError where error.isMissingField("upsertRunQueue") {
                cache.lacksUpsertRunQueue = true
                logger.notice(
                    "the W&B server has no upsertRunQueue (older than \(Self.minimumServerVersion)); queues are created with createRunQueue and cannot be updated")
            }
        }
        guard existing == nil else {
            throw WandbAPIError(
                code: .unsupported,
                message: "queue \(queue.entity)/\(queue.name) exists; updating it needs W&B server \(Self.minimumServerVersion) or newer "
                    + "(this server has no upsertRunQueue mutation). New queues are still created with createRunQueue.",
                operation: Operations.upsertRunQueue.name)
        }
        guard queue.externalLinks.isEmpty else {
            // createRunQueue takes no links: the queue would be created without them and never converge.
            throw WandbAPIError(
                code: .unsupported,
                message: "queue \(queue.entity)/\(queue.name) declares external links; storing them needs W&B server "
                    + "\(Self.minimumServerVersion) or newer (this server has no upsertRunQueue, and createRunQueue takes no links)",
                operation: Operations.createRunQueue.name)
        }
        try await ensureLaunchProject(entity: queue.entity)
        let configID = try await createDefaultResourceConfig(for: queue)
        let queueID = try await createRunQueue(queue, defaultResourceConfigID: configID)
        return .created(queueID: queueID, defaultResourceConfigID: configID)
    }

    /// The oldest W&B server launchq can update queues on: the first with `upsertRunQueue` (W&B's stated minimum
    /// supported version).
    public static let minimumServerVersion = "0.63.0"

    /// Deletes queues by id in one idempotent `deleteRunQueues`. An empty list sends nothing.
    public func deleteRunQueues(ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        let operation = Operations.deleteRunQueues
        let data = try await execute(operation, variables: ["ids": .array(ids.map(JSONValue.string))])
        guard data["deleteRunQueues"]?["success"]?.bool == true else {
            throw Self.mutationFailed(operation, "deleteRunQueues did not succeed for \(ids.count) queue(s)")
        }
    }

    // MARK: - Teams and members

    /// Creates a team (`createTeam`; not retried on 5xx).
    /// - Parameter adminUsername: the user who becomes its admin (default: the caller).
    public func createTeam(name: String, adminUsername: String? = nil) async throws -> CreatedEntity {
        let operation = Operations.createTeam
        let data = try await execute(
            operation,
            variables: ["teamName": .string(name), "teamAdminUserName": adminUsername.map(JSONValue.string) ?? .null])
        guard let entity = data["result"]?["entity"], !entity.isNull else {
            throw Self.mutationFailed(operation, "createTeam returned no team for \(name)")
        }
        return CreatedEntity(id: Wire.optionalString(entity["id"]), name: Wire.optionalString(entity["name"]) ?? name)
    }

    /// Adds a user to a team (`createInvite`): by email when `usernameOrEmail` contains `@`,
    /// else by username, as the SDK's `Team.invite` does. Not retried on 5xx.
    @discardableResult
    public func createInvite(entity: String, usernameOrEmail: String, admin: Bool = false) async throws
        -> CreatedInvite?
    {
        let operation = Operations.createInvite
        var variables: [String: JSONValue] = ["entity": .string(entity), "admin": .bool(admin)]
        variables[usernameOrEmail.contains("@") ? "email" : "username"] = .string(usernameOrEmail)
        let data = try await execute(operation, variables: variables)
        guard let invite = data["result"]?["invite"], !invite.isNull else { return nil }
        return CreatedInvite(
            id: Wire.optionalString(invite["id"]), email: Wire.optionalString(invite["email"]),
            userName: Wire.optionalString(invite["toUser"]?["name"]))
    }

    /// Removes a member or a pending invite from a team (`deleteInvite`, `id` = the member's id).
    public func deleteInvite(entity: String, id: String) async throws {
        let operation = Operations.deleteInvite
        let data = try await execute(operation, variables: ["id": .string(id), "entity": .string(entity)])
        guard data["result"]?["success"]?.bool == true else {
            throw Self.mutationFailed(operation, "deleteInvite did not succeed for member \(id) of \(entity)")
        }
    }

    // MARK: - Users

    /// Creates a user (`createUser`; an instance admin's call; not retried on 5xx).
    public func createUser(email: String, admin: Bool = false) async throws -> ObservedUser {
        let operation = Operations.createUser
        let data = try await execute(operation, variables: ["email": .string(email), "admin": .bool(admin)])
        guard let user = data["result"]?["user"], !user.isNull else {
            throw Self.mutationFailed(operation, "createUser returned no user for \(email)")
        }
        return try Wire.user(user, in: operation.name)
    }

    static func mutationFailed(_ operation: GraphQLOperation, _ message: String) -> WandbAPIError {
        WandbAPIError(code: .mutationFailed, message: message, operation: operation.name, httpStatus: 200)
    }
}
