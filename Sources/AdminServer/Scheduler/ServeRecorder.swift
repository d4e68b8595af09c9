import Declarations
import Planning
import Reconciler
import ReconcilerStore
import Store
import Synchronization
import WandbModel

/// `launchq serve`'s recorder: the store's, made safe against a database that fails in the middle of a run.
///
/// - A step whose start cannot be recorded is not written (W&B stays untouched) and is marked not attempted
///   (``RunProgress/notAttempted(_:)``): the runner counts it as skipped, not as a failure of its object.
/// - From the first failed recording on (``RunProgress/recordingFailed(_:)``) nothing in this run waits on the
///   database again: further steps are held back by the runner's gate, outcomes are not tried, and reading the
///   last-applied hashes or recording findings fails at once, which ends the run (failed, retried soon).
/// - An outcome that could not be recorded after its write was tried is handed to `unrecorded`, so the next run
///   records it (`recorded late`) and no written object is left without a status.
/// - A step cancelled with its run (the watchdog) while writing is recorded as skipped: that says nothing about
///   its object.
/// - What W&B holds is also handed to `backlog`, as the managed queues' backlog (read in the same batched reads),
///   before the store records it: the gauges do not depend on the database.
final class ServeRecorder: ApplyRecorder {
    let inner: StoreRecorder
    let progress: RunProgress
    let unrecorded: @Sendable (PlanStep, StepOutcome) -> Void
    /// Receives the managed queues' backlog of each observation recorded, with the entities it covers (a fleet run
    /// records a chunk of entities at a time); `nil`: the backlog is not read.
    let backlog: (@Sendable ([QueueBacklog], Set<String>) -> Void)?
    /// Steps whose start was recorded, so whose write was tried.
    private let started = Mutex<Set<String>>([])

    init(
        inner: StoreRecorder, progress: RunProgress, backlog: (@Sendable ([QueueBacklog], Set<String>) -> Void)? = nil,
        unrecorded: @escaping @Sendable (PlanStep, StepOutcome) -> Void
    ) {
        self.inner = inner
        self.progress = progress
        self.backlog = backlog
        self.unrecorded = unrecorded
    }

    func lastApplied() async throws -> [String: String] {
        try await guarded { try await self.inner.lastApplied() }
    }

    func appliedPolicies() async throws -> [String: AppliedPolicy] {
        try await guarded { try await self.inner.appliedPolicies() }
    }

    func willApply(_ step: PlanStep) async throws {
        do {
            try await guarded { try await self.inner.willApply(step) }
        } catch {
            progress.notAttempted(step.id)
            throw error
        }
        started.withLock { _ = $0.insert(step.id) }
    }

    func didApply(_ step: PlanStep, outcome: StepOutcome) async throws {
        let written = started.withLock { $0.remove(step.id) } != nil
        let outcome =
            written && Task.isCancelled && !outcome.succeeded
            ? StepOutcome(.skipped("not completed: the run was cancelled while this step was writing")) : outcome
        if let failure = progress.storeFailure {
            // Not written: nothing to record (and the database is what failed). Written: recorded by the next run.
            guard written else { return }
            unrecorded(step, outcome)
            throw Self.notTried(failure)
        }
        do {
            try await inner.didApply(step, outcome: outcome)
        } catch {
            progress.recordingFailed(ReconcileRunner.describe(error))
            if written { unrecorded(step, outcome) }
            throw error
        }
    }

    func recordFindings(_ plan: Plan, matching declarations: [Declaration]) async throws {
        try await guarded { try await self.inner.recordFindings(plan, matching: declarations) }
    }

    func recordObserved(_ observed: ObservedState, declarations: [Declaration]) async throws {
        backlog?(Observer.backlog(of: observed, declarations: declarations), Set(observed.entities.keys))
        try await guarded { try await self.inner.recordObserved(observed, declarations: declarations) }
    }

    /// Runs `body` unless the database already failed in this run; remembers its failure.
    private func guarded<T>(_ body: () async throws -> T) async throws -> T {
        if let failure = progress.storeFailure { throw Self.notTried(failure) }
        do {
            return try await body()
        } catch {
            progress.recordingFailed(ReconcileRunner.describe(error))
            throw error
        }
    }

    static func notTried(_ failure: String) -> StoreError {
        StoreError(code: .unreachable, message: "not tried: the database failed earlier in this run (\(failure))")
    }
}
