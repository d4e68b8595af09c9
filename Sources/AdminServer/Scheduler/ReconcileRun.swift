import Foundation
import Store

/// What triggered a reconcile, and what it covers.
public struct ReconcileRequest: Sendable, Hashable {
    /// `start`, `schedule`, `revision`, `request`, `webhook`.
    public var trigger: String
    /// One object (`kind` as in plans: `RunQueue`, `Team`, `TeamMember`, `User`, `Project`; its identity), or all.
    public var object: ObjectKey?
    /// What an explicit request relaxes for its own run (`POST /v1/reconcile?allowNonemptyDelete=&maxDeletions=`).
    public var deletions: DeletionOverrides

    public init(trigger: String, object: ObjectKey? = nil, deletions: DeletionOverrides = .none) {
        self.trigger = trigger
        self.object = object
        self.deletions = deletions
    }
}

/// The result of one reconcile run, as `POST /v1/reconcile?wait=true` returns it.
public struct ReconcileRun: Sendable, Codable, Hashable {
    /// `succeeded` (W&B matches), `failed` (some writes failed or were skipped), `error` (no plan could be made),
    /// `drained` (stopped between steps by shutdown), `idle` (no revision yet).
    public var outcome: String
    public var trigger: String
    public var revision: RevisionNumber?
    public var rounds: Int
    public var succeeded: Int
    public var failed: Int
    public var skipped: Int
    /// Writes left out because their object is backing off.
    public var deferred: Int
    /// `Plan: N to create, M to update, K to delete.` of the first round.
    public var plan: String?
    public var message: String?
    public var startedAt: Date
    public var durationSeconds: Double

    public init(outcome: String, trigger: String, startedAt: Date) {
        self.outcome = outcome
        self.trigger = trigger
        self.revision = nil
        self.rounds = 0
        self.succeeded = 0
        self.failed = 0
        self.skipped = 0
        self.deferred = 0
        self.startedAt = startedAt
        self.durationSeconds = 0
    }
}
