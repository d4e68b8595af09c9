import Planning

extension Reconciliation {
    /// Where a run starts.
    public enum Start: Sendable {
        /// Observe W&B and plan now.
        case observe
        /// Apply a plan already made from `observed` (later rounds re-observe).
        case planned(Plan, ObservedState)
        /// Apply a saved plan: its scope is observed again first, and it is refused when W&B changed since it was
        /// made. One round; nothing is re-planned or recorded as findings (a saved plan carries no declarations).
        case saved(Plan)
    }

    /// What one run covers, and the caller's hooks into it. The defaults run everything at once, unapproved.
    public struct Request: Sendable {
        public var start: Start
        /// Apply only this object's steps (`?kind=&id=`); the plan and the findings still cover every declaration.
        public var object: ObjectReference?
        /// Checked before each step and after each round: once true, steps not yet started are skipped (and
        /// recorded as skipped), a step already writing finishes and is recorded, and the run ends as stopped.
        public var isStopping: @Sendable () -> Bool
        /// Why a stopped run skipped its steps, for the audit log: `launchq serve was shutting down`.
        public var stopReason: String
        /// The per-step gate: a reason to defer the step (not attempted, not recorded), or `nil` to go ahead.
        public var deferral: @Sendable (PlanStep) -> String?
        /// Hears every step's outcome as it ends (deferred ones included), after it was recorded.
        public var stepFinished: @Sendable (PlanStep, StepOutcome) -> Void
        /// Called once with the first plan before anything is written; `false` ends the run as declined.
        public var approve: @Sendable (Plan) async -> Bool
        /// The declarations' last-applied hashes; by default the recorder's (none without one).
        public var lastApplied: (@Sendable () async throws -> [String: String])?
        /// Hears what the run is doing as it goes (a status page's "waiting on", a watchdog).
        public var activity: @Sendable (Activity) -> Void
        /// Whether the result keeps its plans whole; `false` (`launchq serve`): as outlines (``Plan/outline``), so the
        /// first plan of a large fleet — what every step writes — is let go once applied rather than held through
        /// the final read and the recording (issue 13). Counts, summaries and refusals are the same. A fleet run
        /// (``Reconciliation/run(fleet:_:)``) keeps its first plan's steps and its rounds' outcomes, but not its rounds' steps.
        public var keepsPlans = true
        /// Called before each chunk of a fleet run (``Reconciliation/run(fleet:_:)``) is read, in both passes, once
        /// the chunk before it was let go: `launchq serve` gives the memory it freed back to the system there.
        public var chunkStarting: @Sendable () -> Void = {}

        public init(
            start: Start = .observe, object: ObjectReference? = nil, isStopping: @escaping @Sendable () -> Bool = { false },
            stopReason: String = "the run was stopped", deferral: @escaping @Sendable (PlanStep) -> String? = { _ in nil },
            stepFinished: @escaping @Sendable (PlanStep, StepOutcome) -> Void = { _, _ in },
            approve: @escaping @Sendable (Plan) async -> Bool = { _ in true },
            lastApplied: (@Sendable () async throws -> [String: String])? = nil, activity: @escaping @Sendable (Activity) -> Void = { _ in }
        ) {
            self.start = start
            self.object = object
            self.isStopping = isStopping
            self.stopReason = stopReason
            self.deferral = deferral
            self.stepFinished = stepFinished
            self.approve = approve
            self.lastApplied = lastApplied
            self.activity = activity
        }
    }

    /// What a run is doing.
    public enum Activity: Sendable, Equatable {
        /// Reading W&B and planning (first, between rounds, or for the findings).
        case observing
        /// Reading a saved plan's scope again to check it is not stale.
        case checkingSavedPlan
        /// Waiting for the caller to approve the first plan.
        case approving
        /// Applying round `n` (from 1).
        case applying(round: Int)
        /// Recording the findings and observed queues.
        case recording
        /// Step `id` is recording its start (the write waits for it).
        case recordingStart(String)
        /// Step `id` is writing to W&B.
        case writing(String)
        /// Step `id` is recording its outcome.
        case recordingOutcome(String)
        /// Step `id` is done.
        case stepDone(String)
    }
}
