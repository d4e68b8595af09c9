/// A W&B user as the server returns it (never with API keys).
public struct ObservedUser: Sendable, Hashable, Identifiable {
    public var id: String
    /// The display name.
    public var name: String?
    public var username: String?
    public var email: String?
    /// Whether the user administers the instance.
    public var admin: Bool
    /// The user's default entity.
    public var entity: String?
    /// Names of the teams the user belongs to.
    public var teams: [String]
    /// Whether the user is deleted (has a `deletedAt`).
    public var deleted: Bool

    public init(
        id: String, name: String?, username: String?, email: String?, admin: Bool, entity: String?,
        teams: [String], deleted: Bool
    ) {
        self.id = id
        self.name = name
        self.username = username
        self.email = email
        self.admin = admin
        self.entity = entity
        self.teams = teams
        self.deleted = deleted
    }

    /// Whether `query` is this user's username or email (emails case-insensitively).
    public func matches(_ query: String) -> Bool {
        if username == query { return true }
        if let email, email.lowercased() == query.lowercased() { return true }
        return false
    }
}
