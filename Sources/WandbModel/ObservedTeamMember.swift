/// A member of an entity (a team member, or a pending invite) as W&B returns it.
public struct ObservedTeamMember: Sendable, Hashable {
    /// The member's id: what `deleteInvite` takes to remove them.
    public var id: String?
    /// The user's username, if known (pending email invites have none).
    public var username: String?
    /// The user's email, if visible.
    public var email: String?
    /// The display name.
    public var name: String
    /// Whether the member administers the team.
    public var admin: Bool
    /// Whether the invite has not been accepted yet.
    public var pending: Bool
    /// `USER`, `SERVICE`, ... when the server says.
    public var accountType: String?
    /// The member's role name when the server says (`admin`, `member`, `viewer`, ...).
    public var role: String?

    public init(
        id: String?, username: String?, email: String?, name: String, admin: Bool, pending: Bool,
        accountType: String?, role: String?
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.name = name
        self.admin = admin
        self.pending = pending
        self.accountType = accountType
        self.role = role
    }

    /// Whether the member administers the team: from ``role`` when the server sends one (`admin` is deprecated
    /// in its favour), else from ``admin``.
    public var isAdmin: Bool {
        guard let role, !role.isEmpty else { return admin }
        return role.lowercased() == "admin"
    }
}
