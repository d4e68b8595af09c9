import Declarations
import Logging
import Planning
import WandbModel

extension Reconciliation {
    /// Runs one reconciliation of a fleet a chunk of entities at a time, as `launchq serve` does (issue 13): at no
    /// point does it hold more than one chunk's declarations, W&B answer and plan, plus the whole fleet's outline.
    ///
    /// 1. The outline: every chunk in turn is decoded, read and planned, and only its steps' outlines are kept
    ///    (``FleetPlan/init(outlineOf:declarationCount:planner:)``). That is the one plan of the fleet that
    ///    is approved (``Request/approve``), with the deletion cap counted over every chunk: past it nothing is
    ///    written, as in ``run(_:_:)``.
    /// 2. The users on their own, then each chunk again: decoded, read again, planned and applied through the same
    ///    ``StateMachine`` as a whole run (rounds re-read the chunk), its findings and observed queues recorded.
    ///    A chunk applies only the deletions the approved outline holds; one that appeared since waits for the next
    ///    run, and its own cap check.
    ///
    /// A run reads a user once (`users(query:)`), however many chunks name it; again only after the users' own chunk
    /// wrote something (and in a chunk's later rounds). The result's plans are outlines (as with ``Request/keepsPlans``
    /// off); its rounds merge the chunks' rounds of the same number, and with ``Request/keepsPlans`` off keep their
    /// outcomes but no steps. A run of one object (``Request/object``) applies that object's steps only;
    /// ``Request/start`` must be ``Start/observe``.
    func runFleetWithoutSpan(_ fleet: FleetDeclarations, _ request: Request) async throws -> Result {
        var result = Result(ending: .completed)
        let unrecorded = StepList()
        request.activity(.observing)
        let settings = ChunkSettings(lastApplied: try await lastApplied(request), appliedPolicies: try await recorder?.appliedPolicies() ?? [:])
        let (first, outlineLookups) = try await outline(fleet, settings, request)
        var lookups = outlineLookups
        request.activity(.approving)
        result.firstPlan = first
        warnIfOverCap(first)
        guard await request.approve(first) else {
            result.ending = .declined
            return result
        }
        var approved = settings
        approved.cap = first.deletionCap
        approved.deletions = Set(first.steps.lazy.filter { $0.action == .delete }.map(\.id))
        let users = fleet.shared.filter { $0.kind == .user }
        for entities in [nil] + fleet.chunks.map(Optional.some) {
            if request.isStopping() {
                result.ending = .stopped
                break
            }
            request.chunkStarting()
            let chunk = try await Self.chunk(entities, of: fleet, users: users)
            let ending = try await run(chunk, approved, lookups: &lookups, request, unrecorded: unrecorded, into: &result)
            // The users the outline looked up still hold, unless the users' own chunk wrote: then the chunks after it
            // read them again.
            if entities == nil, !result.rounds.isEmpty { lookups = UserLookups(viewer: lookups.viewer) }
            if ending == .stopped {
                result.ending = .stopped
                break
            }
        }
        result.unrecordedSteps = unrecorded.ids
        return result
    }

    /// What every chunk of a fleet run plans and applies with: the run's last-applied hashes and policies (read once;
    /// a chunk's later rounds read the hashes again) and, once approved, the fleet's deletion cap and deletions.
    struct ChunkSettings: Sendable {
        var lastApplied: [String: String]
        var appliedPolicies: [String: AppliedPolicy]
        var cap: DeletionCap?
        var deletions: Set<String> = []
    }

    /// Users already looked up in a pass (found or not), with the key's user once read.
    struct UserLookups: Sendable {
        var users: [String: ObservedUser] = [:]
        var asked: Set<String> = []
        var viewer: ObservedUser?
    }

    /// Pass 1: the fleet's plan in outline, a chunk at a time, and the users it looked up.
    private func outline(_ fleet: FleetDeclarations, _ settings: ChunkSettings, _ request: Request) async throws -> (Plan, UserLookups) {
        let users = fleet.shared.filter { $0.kind == .user }
        var lookups = UserLookups()
        var outline = FleetPlan(outlineOf: fleet.shared, declarationCount: fleet.count, planner: planner)
        for entities in [nil] + fleet.chunks.map(Optional.some) {
            request.chunkStarting()
            let chunk = try await Self.chunk(entities, of: fleet, users: users)
            outline.add(
                chunk, observed: try await observe(chunk, &lookups, settings), lastApplied: settings.lastApplied,
                appliedPolicies: settings.appliedPolicies)
        }
        return (outline.finish().0, lookups)
    }

    /// The users' own chunk (`entities` nil: the user steps are kept), or a chunk of entities, decoded now, with the
    /// users their teams may name.
    private static func chunk(_ entities: [String]?, of fleet: FleetDeclarations, users: [Declaration]) async throws -> FleetPlan.Chunk {
        guard let entities else { return FleetPlan.Chunk(entities: [], declarations: users, keepsUsers: true) }
        return FleetPlan.Chunk(entities: entities, declarations: users + (try await fleet.declarations(entities)), keepsUsers: false)
    }

    /// Reads one chunk: its entities, the users it names not yet looked up in this pass, and the pending items of the
    /// queues it would delete.
    private func observe(_ chunk: FleetPlan.Chunk, _ lookups: inout UserLookups, _ settings: ChunkSettings) async throws -> ObservedState {
        let named = ObservationScope(chunk.declarations).users
        let wanted = Set(named)
        let missing = named.filter { !lookups.asked.contains($0) }
        var observed = try await observer.observe(ObservationScope(entities: chunk.entities, users: missing), viewer: lookups.viewer)
        lookups.asked.formUnion(missing)
        lookups.users.merge(observed.users) { _, read in read }
        lookups.viewer = lookups.viewer ?? observed.viewer
        observed.users = lookups.users.filter { wanted.contains($0.key) }
        observed.scope = ObservationScope(entities: chunk.entities, users: named)
        let candidates = planner.deletionCandidates(chunk.declarations, observed: observed, appliedPolicies: settings.appliedPolicies)
        try await observer.readPendingItems(of: candidates, into: &observed)
        return observed
    }

    /// Reads and plans one chunk for pass 2: only its own steps (the users' chunk keeps the user steps), the fleet's
    /// deletion cap, and no deletion the approved outline does not hold.
    private func plan(_ chunk: FleetPlan.Chunk, _ lookups: inout UserLookups, _ settings: ChunkSettings) async throws -> (Plan, ObservedState) {
        let observed = try await observe(chunk, &lookups, settings)
        var plan = planner.plan(chunk.declarations, observed: observed, lastApplied: settings.lastApplied, appliedPolicies: settings.appliedPolicies)
        let unapproved = plan.steps.filter { $0.action == .delete && !settings.deletions.contains($0.id) }.map(\.id)
        if !unapproved.isEmpty {
            logger.warning("not deleted in this run: not in the plan it approved; the next run plans them again: \(unapproved.joined(separator: ", "))")
        }
        plan.steps.removeAll { ($0.subject == .user && !chunk.keepsUsers) || ($0.action == .delete && !settings.deletions.contains($0.id)) }
        if let cap = settings.cap { plan.deletionCap = cap }
        return (plan, observed)
    }

    /// Pass 2 for one chunk: plan, apply in rounds, record, as the ``StateMachine`` decides; the chunk's rounds and
    /// final plan are merged into `result`.
    private func run(
        _ chunk: FleetPlan.Chunk, _ settings: ChunkSettings, lookups: inout UserLookups, _ request: Request, unrecorded: StepList,
        into result: inout Result
    ) async throws -> StateMachine.Ending {
        // Users are the first chunk's; the other chunks record only what lives in their entities.
        let own = chunk.keepsUsers ? chunk.declarations : chunk.declarations.filter { $0.kind != .user }
        var settings = settings
        var machine = StateMachine(maxRounds: maxRounds, object: request.object, recordsFindings: recorder != nil)
        var (plan, observed) = try await plan(chunk, &lookups, settings)
        var action = machine.start(with: plan)
        while true {
            switch action {
            case .approve:
                action = machine.approved(true, stopping: request.isStopping())
            case .observe:
                request.activity(.observing)
                observed = ObservedState()
                settings.lastApplied = try await lastApplied(request)
                // Read the chunk's users again too: a round may have made some.
                lookups.asked.subtract(ObservationScope(chunk.declarations).users)
                (plan, observed) = try await self.plan(chunk, &lookups, settings)
                action = machine.planned(plan, stopping: request.isStopping())
            case .checkStaleness:
                assertionFailure("a fleet run never starts from a saved plan")
                action = .finish(.completed)
            case .apply(let scoped):
                request.activity(.applying(round: machine.rounds))
                let report = await executor.apply(scoped, observed: observed, hooks: hooks(request, unrecorded: unrecorded))
                result.merge(round: machine.rounds, plan: scoped, report: report, keepsSteps: request.keepsPlans)
                action = machine.applied(report, stopping: request.isStopping())
            case .record(let final):
                request.activity(.recording)
                result.mergeFinal(final)
                if let error = await record(final, observed: observed, declarations: own), result.recordingError == nil {
                    result.recordingError = error
                }
                action = machine.recorded()
            case .finish(let ending):
                if !machine.recordsFindings || ending != .completed, let current = machine.currentPlan { result.mergeFinal(current) }
                return ending
            }
        }
    }
}

extension Reconciliation.Result {
    /// Adds one chunk's round `number` (from 1) to the run's round of that number: its outcomes, and its steps as
    /// outlines unless `keepsSteps` is false (``Request/keepsPlans`` off: the approved first plan already holds every
    /// step, so a fleet's rounds would hold them a second time).
    mutating func merge(round number: Int, plan: Plan, report: ApplyReport, keepsSteps: Bool) {
        let steps = keepsSteps ? plan.steps.map(\.outline) : []
        guard number > rounds.count else {
            rounds[number - 1].plan.steps += steps
            rounds[number - 1].report.outcomes.merge(report.outcomes) { _, latest in latest }
            return
        }
        var kept = plan
        kept.steps = steps
        rounds.append(Reconciliation.Round(plan: kept, report: report))
    }

    /// Adds one chunk's final plan to the run's, as an outline.
    mutating func mergeFinal(_ plan: Plan) {
        guard finalPlan != nil else {
            finalPlan = plan.outline
            return
        }
        finalPlan?.steps += plan.steps.map(\.outline)
    }
}
