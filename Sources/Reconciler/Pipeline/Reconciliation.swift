import Declarations
import Logging
import Planning
import Synchronization

/// The one reconcile pipeline — observe, plan, apply in rounds, record — used by `launchq plan`, `launchq apply`
/// and `launchq serve`. An apply that meets failures (a dropped connection after a create, a 5xx) converges on the
/// next round, from a fresh read, without ever creating an object twice.
///
/// The decisions are ``StateMachine``'s (pure); this type performs them: it reads W&B, plans, applies through the
/// ``Executor``, and records through the ``ApplyRecorder``. A recording error never hangs a run: it is logged and
/// the run carries on, or (after the rounds) the run ends with the reason in ``Result/recordingError``.
public struct Reconciliation: Sendable {
    public var observer: Observer
    public var planner: Planner
    public var executor: Executor
    /// Records steps, findings and observed queues, and knows the last-applied hashes; `nil`: nothing is recorded.
    public var recorder: (any ApplyRecorder)?
    /// Most observe-plan-apply rounds in one run.
    public var maxRounds: Int
    /// Entities observed and planned together in a run and a preview (``chunkSize``); `nil`: the W&B client's batch size.
    public var entitiesPerChunk: Int? = nil
    public var logger: Logger

    public init(
        observer: Observer, planner: Planner, executor: Executor, recorder: (any ApplyRecorder)? = nil, maxRounds: Int = 3,
        logger: Logger = Logger(label: "launchq.reconcile")
    ) {
        self.observer = observer
        self.planner = planner
        self.executor = executor
        self.recorder = recorder
        self.maxRounds = maxRounds
        self.logger = logger
    }

    /// Plans against W&B now, with the given last-applied hashes (none: nothing counts as drift) and policies
    /// (none: the global prune setting decides). The pending items of the queues the plan would delete are read
    /// before the plan is made (``Observer/readPendingItems(of:into:)``).
    public func plan(
        _ declarations: [Declaration], lastApplied: [String: String] = [:], appliedPolicies: [String: AppliedPolicy] = [:]
    ) async throws -> (Plan, ObservedState) {
        var observed = try await observer.observe(declarations)
        let candidates = planner.deletionCandidates(declarations, observed: observed, appliedPolicies: appliedPolicies)
        try await observer.readPendingItems(of: candidates, into: &observed)
        return (planner.plan(declarations, observed: observed, lastApplied: lastApplied, appliedPolicies: appliedPolicies), observed)
    }

    /// What a run would do now (`launchq plan`, `GET /v1/plan`): observes and plans with the recorder's
    /// last-applied hashes and policies, writing nothing anywhere; a chunk of entities at a time (``planFleet(_:lastApplied:appliedPolicies:)``).
    public func preview(_ declarations: [Declaration]) async throws -> Plan {
        try await planFleet(
            declarations, lastApplied: try await recorder?.lastApplied() ?? [:], appliedPolicies: try await recorder?.appliedPolicies() ?? [:]
        ).0
    }

    /// Runs one reconciliation of `declarations` as `request` says; throws when W&B cannot be read.
    /// (Called inside the run's span: see ``run(_:_:)`` in Reconciliation+Tracing.)
    func runWithoutSpan(_ declarations: [Declaration], _ request: Request) async throws -> Result {
        var machine = StateMachine(maxRounds: maxRounds, object: request.object, recordsFindings: recorder != nil)
        var result = Result(ending: .completed)
        var observed = ObservedState()
        let unrecorded = StepList()
        var action: StateMachine.Action
        switch request.start {
        case .observe: action = machine.start()
        case .planned(let plan, let from):
            observed = from
            action = machine.start(with: plan)
        case .saved(let plan): action = machine.start(saved: plan)
        }
        while true {
            switch action {
            case .observe:
                request.activity(.observing)
                let plan: Plan
                observed = ObservedState()  // let go of the last round's observation before reading the next
                (plan, observed) = try await planFleet(
                    declarations, lastApplied: try await lastApplied(request), appliedPolicies: try await recorder?.appliedPolicies() ?? [:])
                action = machine.planned(plan, stopping: request.isStopping())
            case .checkStaleness(let scope):
                request.activity(.checkingSavedPlan)
                observed = try await observer.observe(scope)
                action = machine.observedSavedPlan(hash: observed.hash)
            case .approve(let plan):
                request.activity(.approving)
                result.firstPlan = request.keepsPlans ? plan : plan.outline
                warnIfOverCap(plan)
                action = machine.approved(await request.approve(plan), stopping: request.isStopping())
            case .apply(let plan):
                request.activity(.applying(round: machine.rounds))
                let report = await executor.apply(plan, observed: observed, hooks: hooks(request, unrecorded: unrecorded))
                result.rounds.append(Round(plan: request.keepsPlans ? plan : plan.outline, report: report))
                action = machine.applied(report, stopping: request.isStopping())
            case .record(let plan):
                request.activity(.recording)
                result.finalPlan = plan
                result.recordingError = await record(plan, observed: observed, declarations: declarations)
                action = machine.recorded()
            case .finish(let ending):
                result.ending = ending
                if result.finalPlan == nil { result.finalPlan = machine.currentPlan }
                result.unrecordedSteps = unrecorded.ids
                return result
            }
        }
    }

    /// Applies `first` (already planned against `observed`), then re-plans and applies again while writes failed
    /// and rounds remain; returns every round (a plan with nothing to write counts as one empty round).
    public func run(
        _ declarations: [Declaration], first: Plan, observed: ObservedState, lastApplied: (@Sendable () async throws -> [String: String])? = nil
    ) async throws -> [Round] {
        let result = try await run(declarations, Request(start: .planned(first, observed), lastApplied: lastApplied))
        return result.rounds.isEmpty ? [Round(plan: first, report: ApplyReport())] : result.rounds
    }

    /// The executor's hooks for one run: the gate (stopping, deferral), and recording before and after each write.
    func hooks(_ request: Request, unrecorded: StepList) -> StepHooks {
        let (recorder, logger) = (recorder, logger)
        return StepHooks(
            admit: { step in
                StateMachine.admission(stopping: request.isStopping(), stopReason: request.stopReason, deferral: request.deferral(step))
            },
            willWrite: { step in
                request.activity(.recordingStart(step.id))
                do {
                    try await recorder?.willApply(step)
                } catch {
                    throw ApplyError("not attempted: could not record its start: \(Executor.describe(error))")
                }
                request.activity(.writing(step.id))
            },
            finished: { step, outcome in
                if let recorder, !outcome.isDeferred {
                    request.activity(.recordingOutcome(step.id))
                    do {
                        try await recorder.didApply(step, outcome: outcome)
                    } catch {
                        logger.error("could not record the outcome of \(step.id): \(Executor.describe(error))")
                        unrecorded.append(step.id)
                    }
                }
                request.stepFinished(step, outcome)
                request.activity(.stepDone(step.id))
            })
    }

    /// Logs why nothing is applied when `plan` deletes more than its cap allows.
    func warnIfOverCap(_ plan: Plan) {
        guard plan.deletionCap.exceeded else { return }
        let cap = plan.deletionCap
        logger.warning(
            "nothing applied: the plan deletes \(cap.deletions.count) objects, more than \(cap.limitDescription): \(cap.deletions.joined(separator: ", "))")
    }

    /// The last-applied hashes: the request's, else the recorder's, else none.
    func lastApplied(_ request: Request) async throws -> [String: String] {
        if let lastApplied = request.lastApplied { return try await lastApplied() }
        return try await recorder?.lastApplied() ?? [:]
    }

    /// Records the findings of `plan` and the observed queues; returns why it could not, if it could not.
    func record(_ plan: Plan, observed: ObservedState, declarations: [Declaration]) async -> String? {
        guard let recorder else { return nil }
        do {
            try await recorder.recordFindings(plan, matching: declarations)
            try await recorder.recordObserved(observed, declarations: declarations)
            return nil
        } catch {
            let message = "could not record what W&B holds: \(Executor.describe(error))"
            logger.error("\(message)")
            return message
        }
    }
}

/// Step ids collected from concurrent steps.
final class StepList: Sendable {
    private let list = Mutex<[String]>([])
    var ids: [String] { list.withLock { $0 } }
    func append(_ id: String) { list.withLock { $0.append(id) } }
}

extension StepOutcome {
    /// Whether the run's gate held the step back.
    var isDeferred: Bool { if case .deferred = status { true } else { false } }
}
