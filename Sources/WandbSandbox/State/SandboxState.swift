import Foundation
import HashTreeCollections

/// Everything the sandbox W&B server knows, as plain values: users and their API keys, entities (personal and
/// teams) with members and pending invites, projects, default resource configs, run queues and queue items.
///
/// All changes go through the `mutating` operations in the `SandboxState+*.swift` files, which check names,
/// references and permissions and either apply the whole change or throw a ``SandboxError`` and change
/// nothing. They write records only through the `put`/`remove` functions below, which keep the indexes (records
/// by the names and parents they are looked up by) in step. The type is `Codable` so the store can persist it
/// (`--state FILE`); the indexes are not persisted but rebuilt when a state is decoded.
///
/// The tables and indexes are persistent hash tries (`TreeDictionary`): copying a state costs O(1) and a write
/// to a copy copies only the path to the record it changes, O(log n). So the store hands out snapshots freely
/// (a request reads one consistent state) and a write never copies the whole state.
struct SandboxState: Codable, Sendable {
    /// Format version of the persisted document.
    var formatVersion = 1
    /// The last serial number handed out; every record gets the next one (ids and ordering derive from it).
    var lastSerial = 0
    private(set) var users = RecordTable<UserRecord>()
    private(set) var apiKeys = RecordTable<APIKeyRecord>()
    private(set) var entities = RecordTable<EntityRecord>()
    private(set) var invites = RecordTable<InviteRecord>()
    private(set) var projects = RecordTable<ProjectRecord>()
    private(set) var resourceConfigs = RecordTable<ResourceConfigRecord>()
    private(set) var runQueues = RecordTable<RunQueueRecord>()
    private(set) var runQueueItems = RecordTable<RunQueueItemRecord>()

    // Indexes: ids by what records are looked up by.
    private(set) var usersByUsername = GroupIndex<String>()
    /// Keyed by the lower-cased address.
    private(set) var usersByEmail = GroupIndex<String>()
    private(set) var apiKeysByUser = GroupIndex<String>()
    private(set) var entityByName: TreeDictionary<String, String> = [:]
    /// Team entities by member user id.
    private(set) var teamsByMember = GroupIndex<String>()
    private(set) var invitesByEntity = GroupIndex<String>()
    /// Keyed by the lower-cased address.
    private(set) var invitesByEmail = GroupIndex<String>()
    /// Scope: the entity id.
    private(set) var projectByName: TreeDictionary<ScopedName, String> = [:]
    private(set) var projectsByEntity = GroupIndex<String>()
    private(set) var resourceConfigsByEntity = GroupIndex<String>()
    /// Scope: the project id.
    private(set) var runQueueByName: TreeDictionary<ScopedName, String> = [:]
    private(set) var runQueuesByProject = GroupIndex<String>()
    private(set) var runQueuesByResourceConfig = GroupIndex<String>()
    private(set) var itemsByQueue = GroupIndex<String>()

    /// When set, every `put`/`remove` adds the record's table and id (the store sets it to learn what a change
    /// wrote, for the state file).
    var changes: Set<SandboxTableKey>?

    init() {}

    /// Hands out the next serial and the W&B-style opaque id for it: base64 of `"<Type>:<serial>"`.
    mutating func mintID(_ type: String) -> (id: String, serial: Int) {
        lastSerial += 1
        return (Data("\(type):\(lastSerial)".utf8).base64EncodedString(), lastSerial)
    }

    // MARK: Writing records (the only writers of the tables and indexes)

    mutating func put(_ user: UserRecord) {
        if let old = users[user.id] {
            usersByUsername.remove(old.id, under: old.username)
            if let email = old.email { usersByEmail.remove(old.id, under: email.lowercased()) }
        }
        users[user.id] = user
        usersByUsername.insert(user.id, serial: user.serial, under: user.username)
        if let email = user.email { usersByEmail.insert(user.id, serial: user.serial, under: email.lowercased()) }
        changes?.insert(SandboxTableKey(.users, user.id))
    }

    mutating func put(_ key: APIKeyRecord) {
        if let old = apiKeys[key.id] { apiKeysByUser.remove(old.id, under: old.userID) }
        apiKeys[key.id] = key
        apiKeysByUser.insert(key.id, serial: key.serial, under: key.userID)
        changes?.insert(SandboxTableKey(.apiKeys, key.id))
    }

    mutating func removeAPIKey(id: String) {
        guard let old = apiKeys.removeValue(forKey: id) else { return }
        apiKeysByUser.remove(old.id, under: old.userID)
        changes?.insert(SandboxTableKey(.apiKeys, id))
    }

    mutating func put(_ entity: EntityRecord) {
        let old = entities[entity.id]
        if let old, entityByName[old.name] == old.id { entityByName.removeValue(forKey: old.name) }
        let before = old?.isTeam == true ? Set(old!.members.map(\.userID)) : []
        let after = entity.isTeam ? Set(entity.members.map(\.userID)) : []
        for userID in before.subtracting(after) { teamsByMember.remove(entity.id, under: userID) }
        for userID in after.subtracting(before) { teamsByMember.insert(entity.id, serial: entity.serial, under: userID) }
        entities[entity.id] = entity
        entityByName[entity.name] = entity.id
        changes?.insert(SandboxTableKey(.entities, entity.id))
    }

    mutating func put(_ invite: InviteRecord) {
        if let old = invites[invite.id] {
            invitesByEntity.remove(old.id, under: old.entityID)
            invitesByEmail.remove(old.id, under: old.email.lowercased())
        }
        invites[invite.id] = invite
        invitesByEntity.insert(invite.id, serial: invite.serial, under: invite.entityID)
        invitesByEmail.insert(invite.id, serial: invite.serial, under: invite.email.lowercased())
        changes?.insert(SandboxTableKey(.invites, invite.id))
    }

    mutating func removeInvite(id: String) {
        guard let old = invites.removeValue(forKey: id) else { return }
        invitesByEntity.remove(old.id, under: old.entityID)
        invitesByEmail.remove(old.id, under: old.email.lowercased())
        changes?.insert(SandboxTableKey(.invites, id))
    }

    mutating func put(_ project: ProjectRecord) {
        if let old = projects[project.id] {
            let name = ScopedName(scope: old.entityID, name: old.name)
            if projectByName[name] == old.id { projectByName.removeValue(forKey: name) }
            projectsByEntity.remove(old.id, under: old.entityID)
        }
        projects[project.id] = project
        projectByName[ScopedName(scope: project.entityID, name: project.name)] = project.id
        projectsByEntity.insert(project.id, serial: project.serial, under: project.entityID)
        changes?.insert(SandboxTableKey(.projects, project.id))
    }

    mutating func put(_ config: ResourceConfigRecord) {
        if let old = resourceConfigs[config.id] { resourceConfigsByEntity.remove(old.id, under: old.entityID) }
        resourceConfigs[config.id] = config
        resourceConfigsByEntity.insert(config.id, serial: config.serial, under: config.entityID)
        changes?.insert(SandboxTableKey(.resourceConfigs, config.id))
    }

    mutating func removeResourceConfig(id: String) {
        guard let old = resourceConfigs.removeValue(forKey: id) else { return }
        resourceConfigsByEntity.remove(old.id, under: old.entityID)
        changes?.insert(SandboxTableKey(.resourceConfigs, id))
    }

    mutating func put(_ queue: RunQueueRecord) {
        if let old = runQueues[queue.id] { unindex(old) }
        runQueues[queue.id] = queue
        runQueueByName[ScopedName(scope: queue.projectID, name: queue.name)] = queue.id
        runQueuesByProject.insert(queue.id, serial: queue.serial, under: queue.projectID)
        if let configID = queue.defaultResourceConfigID { runQueuesByResourceConfig.insert(queue.id, serial: queue.serial, under: configID) }
        changes?.insert(SandboxTableKey(.runQueues, queue.id))
    }

    mutating func removeRunQueue(id: String) {
        guard let old = runQueues.removeValue(forKey: id) else { return }
        unindex(old)
        changes?.insert(SandboxTableKey(.runQueues, id))
    }

    private mutating func unindex(_ queue: RunQueueRecord) {
        let name = ScopedName(scope: queue.projectID, name: queue.name)
        if runQueueByName[name] == queue.id { runQueueByName.removeValue(forKey: name) }
        runQueuesByProject.remove(queue.id, under: queue.projectID)
        if let configID = queue.defaultResourceConfigID { runQueuesByResourceConfig.remove(queue.id, under: configID) }
    }

    mutating func put(_ item: RunQueueItemRecord) {
        if let old = runQueueItems[item.id] { itemsByQueue.remove(old.id, under: old.queueID) }
        runQueueItems[item.id] = item
        itemsByQueue.insert(item.id, serial: item.serial, under: item.queueID)
        changes?.insert(SandboxTableKey(.runQueueItems, item.id))
    }

    mutating func removeItem(id: String) {
        guard let old = runQueueItems.removeValue(forKey: id) else { return }
        itemsByQueue.remove(old.id, under: old.queueID)
        changes?.insert(SandboxTableKey(.runQueueItems, id))
    }

    // MARK: Codable (the tables only; the indexes are rebuilt)

    private enum CodingKeys: String, CodingKey {
        case formatVersion, lastSerial, users, apiKeys, entities, invites, projects, resourceConfigs, runQueues, runQueueItems
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        lastSerial = try container.decode(Int.self, forKey: .lastSerial)
        for user in try container.decode([String: UserRecord].self, forKey: .users).values { put(user) }
        for key in try container.decode([String: APIKeyRecord].self, forKey: .apiKeys).values { put(key) }
        for entity in try container.decode([String: EntityRecord].self, forKey: .entities).values { put(entity) }
        for invite in try container.decode([String: InviteRecord].self, forKey: .invites).values { put(invite) }
        for project in try container.decode([String: ProjectRecord].self, forKey: .projects).values { put(project) }
        for config in try container.decode([String: ResourceConfigRecord].self, forKey: .resourceConfigs).values { put(config) }
        for queue in try container.decode([String: RunQueueRecord].self, forKey: .runQueues).values { put(queue) }
        for item in try container.decode([String: RunQueueItemRecord].self, forKey: .runQueueItems).values { put(item) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(lastSerial, forKey: .lastSerial)
        try container.encode(users, forKey: .users)
        try container.encode(apiKeys, forKey: .apiKeys)
        try container.encode(entities, forKey: .entities)
        try container.encode(invites, forKey: .invites)
        try container.encode(projects, forKey: .projects)
        try container.encode(resourceConfigs, forKey: .resourceConfigs)
        try container.encode(runQueues, forKey: .runQueues)
        try container.encode(runQueueItems, forKey: .runQueueItems)
    }

    /// The JSON of the record `key` names (as the state file holds it), or `nil` when there is no such record.
    func encodedRecord(_ key: SandboxTableKey, with encoder: JSONEncoder) throws -> Data? {
        switch key.table {
        case .users: try users[key.id].map { try encoder.encode($0) }
        case .apiKeys: try apiKeys[key.id].map { try encoder.encode($0) }
        case .entities: try entities[key.id].map { try encoder.encode($0) }
        case .invites: try invites[key.id].map { try encoder.encode($0) }
        case .projects: try projects[key.id].map { try encoder.encode($0) }
        case .resourceConfigs: try resourceConfigs[key.id].map { try encoder.encode($0) }
        case .runQueues: try runQueues[key.id].map { try encoder.encode($0) }
        case .runQueueItems: try runQueueItems[key.id].map { try encoder.encode($0) }
        }
    }

    /// Every record's table and id.
    var allRecordKeys: [SandboxTableKey] {
        users.keys.map { SandboxTableKey(.users, $0) } + apiKeys.keys.map { SandboxTableKey(.apiKeys, $0) }
            + entities.keys.map { SandboxTableKey(.entities, $0) } + invites.keys.map { SandboxTableKey(.invites, $0) }
            + projects.keys.map { SandboxTableKey(.projects, $0) } + resourceConfigs.keys.map { SandboxTableKey(.resourceConfigs, $0) }
            + runQueues.keys.map { SandboxTableKey(.runQueues, $0) } + runQueueItems.keys.map { SandboxTableKey(.runQueueItems, $0) }
    }
}

/// One of ``SandboxState``'s tables (named as the state file names it).
enum SandboxTable: String, CaseIterable, Sendable {
    case users, apiKeys, entities, invites, projects, resourceConfigs, runQueues, runQueueItems
}

/// A record's table and id.
struct SandboxTableKey: Hashable, Sendable {
    var table: SandboxTable
    var id: String

    init(_ table: SandboxTable, _ id: String) {
        self.table = table
        self.id = id
    }
}
