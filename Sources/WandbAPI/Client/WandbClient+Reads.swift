import JSON
import Logging
import WandbModel

extension WandbClient {
    /// The user the API key belongs to (the SDK's login check).
    /// - Throws: `unauthorized` when the server knows no user for the key.
    public func viewer() async throws -> ObservedUser {
        let data = try await execute(Operations.viewer)
        guard let viewer = data["viewer"], !viewer.isNull else {
            throw WandbAPIError(
                code: .unauthorized, message: "the server did not recognise an account for the API key",
                operation: Operations.viewer.name, httpStatus: 200)
        }
        return try Wire.user(viewer, in: Operations.viewer.name)
    }

    /// The user the API key belongs to, with the instance-admin flag (the SDK's `GetViewer`).
    /// - Throws: `unauthorized` when the server knows no user for the key.
    public func currentUser() async throws -> ObservedUser {
        let operation = Operations.getViewer
        let data = try await execute(operation)
        guard let viewer = data["viewer"], !viewer.isNull else {
            throw WandbAPIError(
                code: .unauthorized, message: "the server did not recognise an account for the API key",
                operation: operation.name, httpStatus: 200)
        }
        return try Wire.user(viewer, in: operation.name)
    }

    /// Reads many entities in few requests: ``Configuration/batchSize`` entities per request
    /// (aliases `q0`, `m0`, `p0`, ...), up to ``Configuration/maximumConcurrentRequests`` at once; a batch that
    /// times out, breaks the server or is too complex is read in halves (see `inAdaptiveBatches`).
    /// A read of E entities costs `ceil(E / batchSize)` requests, plus one per extra page of
    /// projects for entities with more than ``Configuration/projectsPageSize`` projects.
    ///
    /// - Parameters:
    ///   - names: entity names; repeats are read once.
    ///   - parts: what to read besides the entity itself.
    /// - Returns: one ``ObservedEntity`` per distinct name (`exists == false` for entities that are absent or
    ///   not visible to the API key: W&B answers `null` for both).
    /// - Throws: `decoding` naming the operation and the field when the answer lacks a field the planner needs
    ///   (a queue's `prioritizationMode` or `access`, its config while the config id is set, a `runQueues` or
    ///   `members` list).
    public func readEntities(_ names: [String], including parts: EntityReadParts = .all) async throws
        -> [String: ObservedEntity]
    {
        let pageSize = configuration.projectsPageSize
        let read: [(ObservedEntity, String?)] = try await inAdaptiveBatches(uniqued(names), operation: "ReadEntities") {
            batch, splittable in
            try await self.readBatch(batch, parts: parts, pageSize: pageSize, splittable: splittable)
        }

        var entities: [String: ObservedEntity] = [:]
        var unfinished: [(String, String)] = []
        for (entity, cursor) in read {
            entities[entity.name] = entity
            if let cursor { unfinished.append((entity.name, cursor)) }
        }
        let rest: [(String, [ObservedProject])] = try await concurrentMap(
            unfinished, limit: configuration.maximumConcurrentRequests
        ) { name, cursor in
            (name, try await self.remainingProjects(of: name, after: cursor, pageSize: pageSize))
        }
        for (name, projects) in rest {
            entities[name]?.projects.append(contentsOf: projects)
            entities[name]?.projects.sort { $0.name < $1.name }
        }
        return entities
    }

    /// The run queues of many entities (their `model-registry` projects), batched like
    /// ``readEntities(_:including:)``. Unknown entities map to an empty list.
    public func runQueues(inEntities names: [String]) async throws -> [String: [ObservedRunQueue]] {
        try await readEntities(names, including: .runQueues).mapValues(\.runQueues)
    }

    /// The members of many entities, batched. Unknown entities map to an empty list.
    public func members(ofEntities names: [String]) async throws -> [String: [ObservedTeamMember]] {
        try await readEntities(names, including: .members).mapValues(\.members)
    }

    /// Every project of many entities, batched. Unknown entities map to an empty list.
    public func projects(inEntities names: [String]) async throws -> [String: [ObservedProject]] {
        try await readEntities(names, including: .projects).mapValues(\.projects)
    }

    /// Users whose username or email contains `query` (the SDK's `SearchUsers`; an
    /// instance admin's call). `nil` lists every user the server returns.
    public func searchUsers(_ query: String?) async throws -> [ObservedUser] {
        let operation = Operations.searchUsers
        let data = try await execute(operation, variables: ["query": query.map(JSONValue.string) ?? .null])
        return try Wire.users(data["users"], in: operation.name)
    }

    /// Looks up users by exact username or email, batched (``Configuration/batchSize``
    /// searches per request, halved like entity reads when a batch is too much for the server).
    /// - Throws: `permissionDenied` when the key is not an instance admin (`users(query:)` is admin-only).
    /// - Returns: the user for every query that matched exactly; absent keys did not match.
    public func users(matching queries: [String]) async throws -> [String: ObservedUser] {
        let found: [(String, ObservedUser?)] = try await inAdaptiveBatches(uniqued(queries), operation: "SearchUsersBatch") {
            batch, splittable in
            let operation = Operations.searchUsersBatch(count: batch.count)
            var variables: [String: JSONValue] = [:]
            for (index, query) in batch.enumerated() { variables["u\(index)"] = .string(query) }
            let answer = try await self.executeAllowingErrors(operation, variables: variables, splittable: splittable)
            guard answer.errors.isEmpty else {
                self.stats.recordFailure()
                throw answer.error(for: operation).redacting(self.configuration.apiKey.secret)
            }
            return try batch.enumerated().map { index, query in
                let candidates = try Wire.users(answer.data["u\(index)"], in: operation.name)
                return (query, candidates.first { $0.matches(query) })
            }
        }
        var users: [String: ObservedUser] = [:]
        for case let (query, user?) in found { users[query] = user }
        return users
    }

    // MARK: - Batches

    /// One batch; with ``EntityReadParts/backlog``, a batch the server could not answer with the backlog (GraphQL
    /// errors, an answer that cannot be decoded, HTTP 400/422) is read once more without it: its entities come
    /// back without a backlog and the read does not fail for it. Only the second read's failure is thrown. A
    /// failure that halves the batch (a timeout, a 5xx, "too complex") halves it first.
    private func readBatch(_ names: [String], parts: EntityReadParts, pageSize: Int, splittable: Bool) async throws
        -> [(ObservedEntity, String?)]
    {
        guard parts.contains(.backlog) else { return try await readBatchOnce(names, parts: parts, pageSize: pageSize, splittable: splittable) }
        do {
            return try await readBatchOnce(names, parts: parts, pageSize: pageSize, splittable: splittable)
        } catch let error as WandbAPIError where !(splittable && error.suggestsSmallerBatch) && error.mayBeTheBacklog {
            logger.warning(
                "W&B could not answer the queue backlog; reading these entities again without it",
                metadata: ["operation": "ReadEntities", "entities": "\(names.count)", "reason": "\(error.message)"])
            return try await readBatchOnce(names, parts: parts.subtracting(.backlog), pageSize: pageSize, splittable: splittable)
        }
    }

    private func readBatchOnce(_ names: [String], parts: EntityReadParts, pageSize: Int, splittable: Bool) async throws
        -> [(ObservedEntity, String?)]
    {
        let operation = Operations.readEntities(count: names.count, parts: parts)
        var variables: [String: JSONValue] = [:]
        for (index, name) in names.enumerated() { variables["e\(index)"] = .string(name) }
        if parts.contains(.projects) { variables["perPage"] = .integer(pageSize) }
        let answer = try await executeAllowingErrors(operation, variables: variables, splittable: splittable)
        let data = answer.data
        guard Wire.areHarmless(answer.errors, in: data, entities: names.count) else {
            stats.recordFailure()
            throw answer.error(for: operation).redacting(configuration.apiKey.secret)
        }

        return try names.enumerated().map { index, name in
            try Wire.entity(
                name, entity: data["m\(index)"], queues: data["q\(index)"], projects: data["p\(index)"], alias: index,
                parts: parts, in: operation.name)
        }
    }

    private func remainingProjects(of entity: String, after cursor: String, pageSize: Int) async throws
        -> [ObservedProject]
    {
        let operation = Operations.readEntityProjects
        var projects: [ObservedProject] = []
        var next: String? = cursor
        var seen: Set<String> = [cursor]
        while let current = next {
            let data = try await execute(
                operation,
                variables: ["entity": .string(entity), "cursor": .string(current), "perPage": .integer(pageSize)])
            let page = try Wire.projectPage(data["models"], entity: entity, in: operation.name)
            projects.append(contentsOf: page.projects)
            next = page.nextCursor
            if let cursor = next, !seen.insert(cursor).inserted {
                throw WandbAPIError(
                    code: .decoding, message: "the project pages of \(entity) repeat the cursor \(cursor)",
                    operation: operation.name)
            }
        }
        return projects
    }
}

extension WandbAPIError {
    /// Whether the server answered the request but not as asked (GraphQL errors, an undecodable answer, a request
    /// it rejected as invalid): what a field it cannot resolve, such as a queue's items, looks like.
    var mayBeTheBacklog: Bool {
        code == .graphQL || code == .decoding || (code == .http && (httpStatus == 400 || httpStatus == 422))
    }
}
