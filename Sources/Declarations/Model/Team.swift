/// A W&B team (`kind: Team`): an entity that owns projects and queues.
public struct Team: Sendable, Equatable {
    /// A member and their role in the team.
    public struct Member: Sendable, Equatable {
        public enum Role: String, Sendable, CaseIterable, Codable { case admin, member }
        /// An email or a W&B username.
        public var user: String
        public var role: Role

        public init(user: String, role: Role = .member) {
            self.user = user
            self.role = role
        }
    }

    public var name: String
    /// The team admin at creation (an email or a W&B username).
    public var admin: String?
    public var members: [Member]

    public init(name: String, admin: String? = nil, members: [Member] = []) {
        self.name = name
        self.admin = admin
        self.members = members
    }
}

/// A W&B user (`kind: User`), identified by email, case-insensitively.
public struct User: Sendable, Equatable {
    public var email: String
    /// W&B instance admin.
    public var admin: Bool

    public init(email: String, admin: Bool = false) {
        self.email = email
        self.admin = admin
    }
}

/// A W&B project (`kind: Project`).
public struct Project: Sendable, Equatable {
    public var entity: String
    public var name: String
    public var description: String?

    public init(entity: String, name: String, description: String? = nil) {
        self.entity = entity
        self.name = name
        self.description = description
    }
}
