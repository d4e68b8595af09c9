import Foundation

/// Where a managed object stands relative to its declaration.
public enum ObjectState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Declared but not yet made to match (new, or its declaration changed).
    case pending
    /// W&B matches the declaration.
    case ready
    /// W&B was changed outside launchq and no longer matches.
    case drifted
    /// The last attempt to make it match failed (see ``ObjectStatus/lastError``).
    case failed
    /// Exists on W&B, was managed before, is no longer declared (and not pruned).
    case orphaned
}

/// The status row of one managed object (table `objects`).
public struct ObjectStatus: Sendable, Hashable, Codable {
    public var key: ObjectKey
    /// Content hash of the current declaration (`nil`: not declared any more).
    public var desiredHash: String?
    /// Last observed W&B state as JSON text, and its normalised hash.
    public var observedState: String?
    public var observedHash: String?
    /// The object's id on W&B, once known.
    public var wandbID: String?
    public var state: ObjectState
    /// The last error, free of secrets (`nil` once it succeeds).
    public var lastError: String?
    /// Consecutive failed attempts (0 after a success).
    public var attempts: Int
    public var lastReconciledAt: Date?
    /// When this row last changed; set by the database.
    public var updatedAt: Date?
    /// The policy of the last applied declaration, as canonical JSON (`{"prune":true,"protect":false}`); recording
    /// `nil` keeps the one already stored.
    public var appliedPolicy: String?

    public init(
        key: ObjectKey, desiredHash: String? = nil, observedState: String? = nil, observedHash: String? = nil,
        wandbID: String? = nil, state: ObjectState, lastError: String? = nil, attempts: Int = 0,
        lastReconciledAt: Date? = nil, updatedAt: Date? = nil, appliedPolicy: String? = nil
    ) {
        self.key = key
        self.desiredHash = desiredHash
        self.observedState = observedState
        self.observedHash = observedHash
        self.wandbID = wandbID
        self.state = state
        self.lastError = lastError
        self.attempts = attempts
        self.lastReconciledAt = lastReconciledAt
        self.updatedAt = updatedAt
        self.appliedPolicy = appliedPolicy
    }
}
