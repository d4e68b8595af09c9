import HashTreeCollections

/// Finding records by name and deciding who may do what.
extension SandboxState {
    func sorted<Record>(_ records: some Collection<Record>, by serial: (Record) -> Int) -> [Record] {
        records.sorted { serial($0) < serial($1) }
    }

    func user(id: String) -> UserRecord? { users[id] }

    func user(username: String) -> UserRecord? {
        usersByUsername.ids(under: username).lazy.compactMap { users[$0] }.first { $0.deletedAt == nil }
    }

    func user(email: String) -> UserRecord? {
        usersByEmail.ids(under: email.lowercased()).lazy.compactMap { users[$0] }.first { $0.deletedAt == nil }
    }

    /// The user an API key belongs to (`nil` for an unknown key or a deleted user).
    ///
    /// Keys are compared in constant time (every byte of every key, no early exit), so response timing does not
    /// reveal how much of a guessed key is right.
    func user(apiKey: String) -> UserRecord? {
        var found: APIKeyRecord?
        for candidate in apiKeys.values where Self.constantTimeEqual(candidate.secret, apiKey) { found = candidate }
        guard let key = found,
            let user = users[key.userID], user.deletedAt == nil
        else { return nil }
        return user
    }

    /// `a == b` without stopping at the first difference (only the lengths are compared early).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (left, right) = (Array(a.utf8), Array(b.utf8))
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    func entity(named name: String) -> EntityRecord? {
        entityByName[name].flatMap { entities[$0] }
    }

    func project(named name: String, entityID: String) -> ProjectRecord? {
        projectByName[ScopedName(scope: entityID, name: name)].flatMap { projects[$0] }
    }

    func runQueue(named name: String, projectID: String) -> RunQueueRecord? {
        runQueueByName[ScopedName(scope: projectID, name: name)].flatMap { runQueues[$0] }
    }

    /// The project's queues, oldest first.
    func runQueues(projectID: String) -> [RunQueueRecord] {
        runQueuesByProject.ids(under: projectID).compactMap { runQueues[$0] }
    }

    /// The entity's projects, oldest first.
    func projects(entityID: String) -> [ProjectRecord] {
        projectsByEntity.ids(under: entityID).compactMap { projects[$0] }
    }

    /// The user's API keys, oldest first.
    func apiKeys(userID: String) -> [APIKeyRecord] {
        apiKeysByUser.ids(under: userID).compactMap { apiKeys[$0] }
    }

    /// The entity's pending invites, oldest first.
    func pendingInvites(entityID: String) -> [InviteRecord] {
        invitesByEntity.ids(under: entityID).compactMap { invites[$0] }
    }

    /// Pending invites of the address (compared case-insensitively), oldest first.
    func pendingInvites(email: String) -> [InviteRecord] {
        invitesByEmail.ids(under: email.lowercased()).compactMap { invites[$0] }
    }

    /// Team entities the user belongs to, oldest first.
    func teams(of userID: String) -> [EntityRecord] {
        teamsByMember.ids(under: userID).compactMap { entities[$0] }
    }

    /// The entity's default resource configs, oldest first.
    func resourceConfigs(entityID: String) -> [ResourceConfigRecord] {
        resourceConfigsByEntity.ids(under: entityID).compactMap { resourceConfigs[$0] }
    }

    /// The queues using the default resource config, oldest first.
    func runQueues(resourceConfigID: String) -> [RunQueueRecord] {
        runQueuesByResourceConfig.ids(under: resourceConfigID).compactMap { runQueues[$0] }
    }

    /// The queue's items, oldest first.
    func items(queueID: String) -> [RunQueueItemRecord] {
        itemsByQueue.ids(under: queueID).compactMap { runQueueItems[$0] }
    }

    // MARK: Required lookups (throw the error a caller sees)

    func requireEntity(_ name: String?) throws(SandboxError) -> EntityRecord {
        guard let name, !name.isEmpty else { throw .invalidInput("entityName is required") }
        guard let entity = entity(named: name) else { throw .notFound("entity \"\(name)\" not found") }
        return entity
    }

    func requireTeam(_ name: String?) throws(SandboxError) -> EntityRecord {
        let entity = try requireEntity(name)
        guard entity.isTeam else { throw .invalidInput("entity \"\(entity.name)\" is a personal entity, not a team") }
        return entity
    }

    func requireProject(_ name: String?, in entity: EntityRecord) throws(SandboxError) -> ProjectRecord {
        guard let name, !name.isEmpty else { throw .invalidInput("projectName is required") }
        guard let project = project(named: name, entityID: entity.id) else {
            throw .notFound("project \"\(name)\" not found in entity \"\(entity.name)\"")
        }
        return project
    }

    func requireUser(_ id: String) throws(SandboxError) -> UserRecord {
        guard let user = users[id], user.deletedAt == nil else { throw .notFound("user not found") }
        return user
    }

    // MARK: Permissions

    /// Instance admins, the owner of a personal entity and the admins of a team may administer it
    /// (create queues, invite, remove members, create service accounts).
    func canAdminister(_ entity: EntityRecord, caller: UserRecord) -> Bool {
        caller.admin || entity.members.contains { $0.userID == caller.id && $0.admin }
    }

    /// Instance admins and members may write to an entity (create projects).
    func canWrite(_ entity: EntityRecord, caller: UserRecord) -> Bool {
        caller.admin || entity.members.contains { $0.userID == caller.id }
    }

    func requireAdministrator(of entity: EntityRecord, caller: UserRecord, to action: String) throws(SandboxError) {
        guard canAdminister(entity, caller: caller) else {
            throw .permissionDenied("permission denied: user \"\(caller.username)\" must be an admin of entity \"\(entity.name)\" to \(action)")
        }
    }

    func requireMember(of entity: EntityRecord, caller: UserRecord, to action: String) throws(SandboxError) {
        guard canWrite(entity, caller: caller) else {
            throw .permissionDenied("permission denied: user \"\(caller.username)\" is not a member of entity \"\(entity.name)\" and cannot \(action)")
        }
    }

    func requireInstanceAdmin(_ caller: UserRecord, to action: String) throws(SandboxError) {
        guard caller.admin else {
            throw .permissionDenied("permission denied: only instance admins can \(action)")
        }
    }
}
