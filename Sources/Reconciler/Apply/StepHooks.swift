import Planning

/// What ``Executor`` asks and tells around each step: whether to attempt it, before writing, after it ended.
/// ``Reconciliation`` supplies them (drain, backoff and recording); the defaults attempt every step.
public struct StepHooks: Sendable {
    /// Asked before each step whose dependencies succeeded.
    public var admit: @Sendable (PlanStep) async -> StepAdmission
    /// Called just before a write; an error fails the step without writing.
    public var willWrite: @Sendable (PlanStep) async throws -> Void
    /// Called once per step with how it ended, before the step counts as done.
    public var finished: @Sendable (PlanStep, StepOutcome) async -> Void

    public init(
        admit: @escaping @Sendable (PlanStep) async -> StepAdmission = { _ in .attempt },
        willWrite: @escaping @Sendable (PlanStep) async throws -> Void = { _ in },
        finished: @escaping @Sendable (PlanStep, StepOutcome) async -> Void = { _, _ in }
    ) {
        self.admit = admit
        self.willWrite = willWrite
        self.finished = finished
    }
}

/// Whether a step is attempted now.
public enum StepAdmission: Sendable, Equatable {
    /// Write it.
    case attempt
    /// Do not write it; its outcome is ``StepOutcome/Status/skipped(_:)`` with this reason, and it is recorded.
    case skip(String)
    /// Do not write it and do not record it: ``StepOutcome/Status/deferred(_:)`` with this reason.
    case `defer`(String)
}
