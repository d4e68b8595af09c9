import Foundation

/// A user account (human or service account).
struct UserRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var username: String
    var name: String
    var email: String?
    /// Instance administrator ("local admin"): may create users, search users and act on every entity.
    var admin: Bool
    /// `USER` or `SERVICE`.
    var accountType: String
    var createdAt: String
    var deletedAt: String?
    /// The personal entity's name; for service accounts the team they were created in.
    var entityName: String?
}

/// An API key. As on W&B, the key's `name` is the secret itself.
struct APIKeyRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var secret: String
    var description: String?
    var userID: String
    var createdAt: String
}

/// An entity: a user's personal entity or a team.
struct EntityRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var name: String
    var isTeam: Bool
    var createdAt: String
    var updatedAt: String
    var defaultAccess: String
    /// Members in the order they joined.
    var members: [Membership]
}

/// A user's membership of an entity.
struct Membership: Codable, Sendable, Equatable {
    var userID: String
    var admin: Bool
}

/// A pending invitation of an e-mail address that has no account yet.
struct InviteRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var entityID: String
    var email: String
    var admin: Bool
    var fromUserID: String
    var createdAt: String
}

/// A project ("model" in the older GraphQL names).
struct ProjectRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var entityID: String
    var name: String
    var description: String?
    var access: String?
    /// `JSONString` field, kept as text.
    var views: String?
    var createdAt: String
    var updatedAt: String
    var creatorUserID: String
}

/// A default resource config: the resource type and the (wrapped) config of a queue, plus its template variables.
struct ResourceConfigRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var entityID: String
    /// Set when the config was created with a `projectName` (scope `PROJECT`); `nil` means scope `ENTITY`.
    var projectID: String?
    var resource: String
    /// The config as sent (normally `{"resource_args": {"<resource>": {...}}}`), in the order it was sent.
    var config: JSONValue
    var templateVariables: [TemplateVariableRecord]
    var createdAt: String
    var updatedAt: String
}

/// One declared template variable, as the server returns it.
struct TemplateVariableRecord: Codable, Sendable, Equatable {
    var name: String
    var description: String?
    /// The variable's JSON schema as compact JSON text (a `JSONString` on the wire).
    var schema: String
}

/// A Launch run queue.
struct RunQueueRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var entityID: String
    var projectID: String
    var name: String
    /// `PROJECT` or `USER`.
    var access: String
    /// `DISABLED` or `V0`.
    var prioritizationMode: String
    var defaultResourceConfigID: String?
    /// `{"links": [...]}`, or `nil`.
    var externalLinks: JSONValue?
    var createdBy: Int
    var createdAt: String
    var updatedAt: String
}

/// A run waiting in (or taken from) a queue.
struct RunQueueItemRecord: Codable, Sendable, Equatable {
    var id: String
    var serial: Int
    var queueID: String
    /// The run spec (with the filled `resource_args`).
    var runSpec: JSONValue
    var state: String
    var priority: Int?
    var templateVariableValues: String?
    var createdAt: String
}
