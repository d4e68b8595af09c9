/// What `upsertRunQueue` answered.
public struct UpsertRunQueueResult: Sendable, Hashable {
    /// Problems the server found in the config (warnings: the queue was still written).
    public var configSchemaValidationErrors: [String]

    public init(configSchemaValidationErrors: [String]) {
        self.configSchemaValidationErrors = configSchemaValidationErrors
    }
}

/// How ``WandbClient/putRunQueue(_:existing:)`` wrote a queue.
public enum RunQueueWrite: Sendable, Hashable {
    /// One `upsertRunQueue`.
    case upserted(UpsertRunQueueResult)
    /// `createDefaultResourceConfig` then `createRunQueue` (a new queue on a server older than 0.63.0, which has
    /// no `upsertRunQueue`).
    case created(queueID: String?, defaultResourceConfigID: String)
}

/// A team (or other entity) a mutation created.
public struct CreatedEntity: Sendable, Hashable {
    public var id: String?
    public var name: String

    public init(id: String?, name: String) {
        self.id = id
        self.name = name
    }
}

/// An invite `createInvite` made.
public struct CreatedInvite: Sendable, Hashable {
    public var id: String?
    public var email: String?
    /// The invited user's name, when the server resolved one.
    public var userName: String?

    public init(id: String?, email: String?, userName: String?) {
        self.id = id
        self.email = email
        self.userName = userName
    }
}
