/// Teams, members, invites and service accounts.
extension SandboxState {
    /// Entity names: 1–64 characters from letters, digits, `-` and `_`.
    static func validateEntityName(_ name: String) throws(SandboxError) {
        guard !name.isEmpty, name.count <= 64,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw .invalidInput("invalid team name \"\(name)\": use 1-64 letters, digits, '-' or '_'")
        }
    }

    /// `createTeam(input: {teamName, teamAdminUserName})`: instance (org) admins only, and the caller is **not**
    /// added to the team (wandb/docs#2863: "Creating a team requires Org Admin permissions ... The caller is not
    /// automatically added as a member"). The user named by `teamAdminUserName`, if any, becomes its first member and
    /// admin; without one the team starts with no members.
    mutating func createTeam(name: String, adminUsername: String?, caller: UserRecord, now: String) throws(SandboxError) -> EntityRecord {
        try requireInstanceAdmin(caller, to: "create teams")
        try Self.validateEntityName(name)
        if entity(named: name) != nil { throw .alreadyExists("entity \"\(name)\" already exists") }
        var admin: UserRecord?
        if let adminUsername, !adminUsername.isEmpty {
            guard let named = user(username: adminUsername) else { throw .notFound("user \"\(adminUsername)\" not found") }
            admin = named
        }
        return addEntity(name: name, isTeam: true, owner: admin?.id, now: now)
    }

    /// The result of an invitation: an existing user joins at once; an unknown e-mail address gets a pending invite.
    enum InviteOutcome: Sendable {
        case joined(UserRecord, Membership)
        case pending(InviteRecord)
    }

    /// `createInvite(input: {entityName, email | username, admin})`: team admins only.
    mutating func invite(
        team teamName: String?, email: String?, username: String?, admin: Bool, caller: UserRecord, now: String
    ) throws(SandboxError) -> InviteOutcome {
        let team = try requireTeam(teamName)
        try requireAdministrator(of: team, caller: caller, to: "invite members")
        let target: UserRecord?
        switch (email?.isEmpty == false ? email : nil, username?.isEmpty == false ? username : nil) {
        case (nil, nil), (.some, .some):
            throw .invalidInput("give exactly one of email and username")
        case (nil, .some(let username)):
            guard let found = user(username: username) else { throw .notFound("user \"\(username)\" not found") }
            target = found
        case (.some(let email), nil):
            guard email.contains("@") else { throw .invalidInput("invalid email address \"\(email)\"") }
            target = user(email: email)
            if target == nil {
                if pendingInvites(entityID: team.id).contains(where: { $0.email.lowercased() == email.lowercased() }) {
                    throw .alreadyExists("an invite for \"\(email)\" to team \"\(team.name)\" already exists")
                }
                let (id, serial) = mintID("Invite")
                let invite = InviteRecord(
                    id: id, serial: serial, entityID: team.id, email: email, admin: admin, fromUserID: caller.id, createdAt: now)
                put(invite)
                return .pending(invite)
            }
        }
        guard let target else { throw .notFound("user not found") }
        if team.members.contains(where: { $0.userID == target.id }) {
            throw .alreadyExists("user \"\(target.username)\" is already a member of team \"\(team.name)\"")
        }
        let membership = Membership(userID: target.id, admin: admin)
        var joined = team
        joined.members.append(membership)
        joined.updatedAt = now
        put(joined)
        return .joined(target, membership)
    }

    /// `deleteInvite(input: {id, entityName})`: removes a member (`id` = the user's id, as `Member.id` reads)
    /// or a pending invite (`id` = the invite's id). Team admins only.
    mutating func removeMemberOrInvite(id: String?, team teamName: String?, caller: UserRecord, now: String) throws(SandboxError) {
        let team = try requireTeam(teamName)
        try requireAdministrator(of: team, caller: caller, to: "remove members")
        guard let id, !id.isEmpty else { throw .invalidInput("id is required") }
        if let index = team.members.firstIndex(where: { $0.userID == id }) {
            var left = team
            left.members.remove(at: index)
            left.updatedAt = now
            put(left)
        } else if let invite = invites[id], invite.entityID == team.id {
            removeInvite(id: invite.id)
        } else {
            throw .notFound("member or invite \"\(id)\" not found in team \"\(team.name)\"")
        }
    }

    /// `createServiceAccount(input: {entityName, description})`: a `SERVICE` user with its own API key, added
    /// as the team's last member. Team admins only.
    mutating func createServiceAccount(
        team teamName: String?, description: String?, caller: UserRecord, secret: String, now: String
    ) throws(SandboxError) -> UserRecord {
        let team = try requireTeam(teamName)
        try requireAdministrator(of: team, caller: caller, to: "create service accounts")
        let (id, serial) = mintID("User")
        let account = UserRecord(
            id: id, serial: serial, username: "\(team.name)-service-\(serial)",
            name: description?.isEmpty == false ? description! : "service account \(serial)",
            email: nil, admin: false, accountType: "SERVICE", createdAt: now, entityName: team.name)
        put(account)
        var joined = team
        joined.members.append(Membership(userID: id, admin: false))
        put(joined)
        generateAPIKey(for: id, description: description, secret: secret, now: now)
        return account
    }
}
