import Planning
import Reconciler
import Testing

/// Past the deletion cap the pipeline applies nothing at all (creates and updates included) and records the findings.
@Suite struct DeletionCapStateMachineTests {
    typealias Machine = Reconciliation.StateMachine

    static func plan(deleting count: Int, cap: Int) -> Plan {
        let deletions = (0..<count).map { PlanStep(.delete, .runQueue, "ml/old\($0)", write: .deleteRunQueue(id: "q\($0)")) }
        let steps = [PlanStep(.create, .runQueue, "ml/new")] + deletions
        return Plan(
            observedHash: "observed", desiredHash: "desired", scope: ObservationScope(entities: ["ml"]), steps: steps,
            deletionCap: DeletionCap(maximum: cap, managedObjects: 1 + count, deletions: deletions.map(\.id)))
    }

    @Test func overTheCapNothingIsAppliedAndTheFindingsAreRecorded() {
        var machine = Machine(maxRounds: 3, recordsFindings: true)
        let over = Self.plan(deleting: 3, cap: 2)
        #expect(over.hasChanges && over.hasRefusals)
        #expect(machine.start() == .observe)
        #expect(machine.planned(over, stopping: false) == .approve(over))
        #expect(machine.approved(true, stopping: false) == .record(over))
        #expect(machine.recorded() == .finish(.completed))
        #expect(machine.rounds == 0)
    }

    @Test func withinTheCapThePlanIsApplied() {
        var machine = Machine(maxRounds: 3, recordsFindings: false)
        let within = Self.plan(deleting: 2, cap: 2)
        #expect(!within.hasRefusals)
        _ = machine.start()
        _ = machine.planned(within, stopping: false)
        #expect(machine.approved(true, stopping: false) == .apply(within))
    }

    @Test func aSavedPlanOverTheCapIsNotApplied() {
        var machine = Machine(maxRounds: 1, recordsFindings: true)
        let over = Self.plan(deleting: 6, cap: 5)
        #expect(machine.start(saved: over) == .checkStaleness(over.scope))
        #expect(machine.observedSavedPlan(hash: "observed") == .approve(over))
        #expect(machine.approved(true, stopping: false) == .finish(.completed))
        #expect(machine.rounds == 0)
    }
}
