import Foundation

/// Users and API keys.
extension SandboxState {
    /// Makes sure the instance admin owning `apiKey` exists (with a personal entity) and that the key is
    /// registered to it. Runs at start-up, on a fresh or a loaded state.
    mutating func bootstrapAdmin(username: String, apiKey: String, now: String) {
        if var owner = user(apiKey: apiKey) {
            owner.admin = true
            put(owner)
            return
        }
        let admin: UserRecord
        if let existing = user(username: username) {
            admin = existing
            var promoted = existing
            promoted.admin = true
            put(promoted)
        } else {
            let (id, serial) = mintID("User")
            admin = UserRecord(
                id: id, serial: serial, username: username, name: username, email: "\(username)@sandbox.local",
                admin: true, accountType: "USER", createdAt: now, entityName: username)
            put(admin)
            if entity(named: username) == nil { addEntity(name: username, isTeam: false, owner: admin.id, now: now) }
        }
        let (keyID, keySerial) = mintID("ApiKey")
        put(APIKeyRecord(
            id: keyID, serial: keySerial, secret: apiKey, description: "sandbox admin key", userID: admin.id, createdAt: now))
    }

    @discardableResult
    mutating func addEntity(name: String, isTeam: Bool, owner: String?, now: String) -> EntityRecord {
        let (id, serial) = mintID("Entity")
        let entity = EntityRecord(
            id: id, serial: serial, name: name, isTeam: isTeam, createdAt: now, updatedAt: now,
            defaultAccess: "PROJECT", members: owner.map { [Membership(userID: $0, admin: true)] } ?? [])
        put(entity)
        return entity
    }

    /// `createUser(input: {email, admin})`: instance admins only. The username is the e-mail's local part
    /// (lower-cased, characters outside `[a-z0-9_-]` replaced by `-`, a number appended when taken); the
    /// user gets a personal entity of that name, and pending team invites for the address become memberships.
    mutating func createUser(email: String, admin: Bool, caller: UserRecord, now: String) throws(SandboxError) -> UserRecord {
        try requireInstanceAdmin(caller, to: "create users")
        let email = email.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") || parts[1] == "localhost" else {
            throw .invalidInput("invalid email address \"\(email)\"")
        }
        if user(email: email) != nil { throw .alreadyExists("a user with email \"\(email)\" already exists") }

        let base = String(parts[0].lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
        var username = base
        var suffix = 1
        while user(username: username) != nil || entity(named: username) != nil {
            suffix += 1
            username = "\(base)\(suffix)"
        }
        let (id, serial) = mintID("User")
        let created = UserRecord(
            id: id, serial: serial, username: username, name: username, email: email, admin: admin,
            accountType: "USER", createdAt: now, entityName: username)
        put(created)
        addEntity(name: username, isTeam: false, owner: id, now: now)

        for invite in pendingInvites(email: email) {
            if var team = entities[invite.entityID] {
                team.members.append(Membership(userID: id, admin: invite.admin))
                put(team)
            }
            removeInvite(id: invite.id)
        }
        return created
    }

    /// `generateApiKey(input: {description})`: a new key for the caller.
    @discardableResult
    mutating func generateAPIKey(for userID: String, description: String?, secret: String, now: String) -> APIKeyRecord {
        let (id, serial) = mintID("ApiKey")
        let key = APIKeyRecord(id: id, serial: serial, secret: secret, description: description, userID: userID, createdAt: now)
        put(key)
        return key
    }

    /// A new key for the user named `username` (the sandbox's `/_sandbox/api-keys` and
    /// ``SandboxServer/createAPIKey(username:)``; W&B has no such call).
    mutating func mintAPIKey(username: String, secret: String, now: String) throws(SandboxError) -> APIKeyRecord {
        guard let user = user(username: username) else { throw .notFound("user \"\(username)\" not found") }
        return generateAPIKey(for: user.id, description: "minted by the sandbox", secret: secret, now: now)
    }

    /// `deleteApiKey(input: {id})`: the owner or an instance admin may delete a key.
    mutating func deleteAPIKey(id: String, caller: UserRecord) throws(SandboxError) {
        // The id is not echoed: a caller that mistakenly sends the secret must not see it in an error.
        guard let key = apiKeys[id] else { throw .notFound("API key not found") }
        guard key.userID == caller.id || caller.admin else {
            throw .permissionDenied("permission denied: the API key belongs to another user")
        }
        removeAPIKey(id: id)
    }

    /// `users(query:)`: instance admins only; a case-insensitive substring match on username, name and e-mail
    /// (all users when the query is empty), oldest first.
    func searchUsers(query: String?, usernames: [String]?, ids: [String]?, caller: UserRecord) throws(SandboxError) -> [UserRecord] {
        try requireInstanceAdmin(caller, to: "search users")
        let needle = query?.lowercased() ?? ""
        // Only the users the names or ids can match are looked at (the indexes find them); the filter below decides.
        var seen = Set<String>()
        let candidates: [UserRecord]
        if let usernames {
            candidates = usernames.flatMap { usersByUsername.ids(under: $0) }.filter { seen.insert($0).inserted }.compactMap { users[$0] }
        } else if let ids {
            candidates = ids.filter { seen.insert($0).inserted }.compactMap { users[$0] }
        } else {
            candidates = Array(users.values)
        }
        return sorted(candidates, by: \.serial).filter { user in
            guard user.deletedAt == nil else { return false }
            if let usernames, !usernames.contains(user.username) { return false }
            if let ids, !ids.contains(user.id) { return false }
            guard !needle.isEmpty else { return true }
            return [user.username, user.name, user.email ?? ""].contains { $0.lowercased().contains(needle) }
        }
    }
}
