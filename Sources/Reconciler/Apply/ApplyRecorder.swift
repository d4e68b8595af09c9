import Declarations
import Planning

/// Records what a reconciliation does (the store's events and object status): before and after every write,
/// and after the rounds what W&B looks like. ``Reconciliation`` calls it; an error is logged, never a hang:
/// a failed ``willApply(_:)`` fails its step without writing, a failed ``didApply(_:outcome:)`` is logged and
/// the run carries on, a failed ``recordFindings(_:matching:)`` or ``recordObserved(_:declarations:)`` ends
/// the run with the reason in ``Reconciliation/Result/recordingError``.
public protocol ApplyRecorder: Sendable {
    /// The content hash of each declaration (by step id) when it was last applied successfully: what drift
    /// detection compares.
    func lastApplied() async throws -> [String: String]
    /// The policy of each object's last applied declaration (by step id): what decides whether an object whose
    /// declaration is gone is deleted. None by default (the global prune setting decides).
    func appliedPolicies() async throws -> [String: AppliedPolicy]
    /// Before a write: it is not attempted unless this succeeds.
    func willApply(_ step: PlanStep) async throws
    /// After a step finished, was skipped or was stopped (never for a deferred step).
    func didApply(_ step: PlanStep, outcome: StepOutcome) async throws
    /// What a plan found without writing: orphans, drift, refusals, declarations already matching.
    func recordFindings(_ plan: Plan, matching declarations: [Declaration]) async throws
    /// What W&B holds for the declared queues (id and observed state), from the observation `plan` came from.
    func recordObserved(_ observed: ObservedState, declarations: [Declaration]) async throws
}

extension ApplyRecorder {
    /// None: without remembered policies the global prune setting decides.
    public func appliedPolicies() async throws -> [String: AppliedPolicy] { [:] }
}
