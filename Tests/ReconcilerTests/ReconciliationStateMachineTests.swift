import Planning
import Reconciler
import Testing

/// The reconcile pipeline's decisions without I/O: rounds, re-planning, scoping, stopping, the gate, saved plans.
@Suite struct ReconciliationStateMachineTests {
    typealias Machine = Reconciliation.StateMachine

    static func plan(_ steps: [PlanStep], observedHash: String = "observed") -> Plan {
        Plan(observedHash: observedHash, desiredHash: "desired", scope: ObservationScope(entities: ["ml"]), steps: steps)
    }

    static let queueA = PlanStep(.create, .runQueue, "ml/a")
    static let queueB = PlanStep(.update, .runQueue, "ml/b")
    static let orphan = PlanStep(.orphan, .runQueue, "ml/old")

    static func report(_ outcomes: [String: StepOutcome.Status]) -> ApplyReport {
        var report = ApplyReport()
        for (id, status) in outcomes { report.outcomes[id] = StepOutcome(status) }
        return report
    }

    @Test func aCleanRunAppliesOnceThenObservesAgainAndRecords() {
        var machine = Machine(maxRounds: 3, recordsFindings: true)
        let first = Self.plan([Self.queueA, Self.orphan])
        #expect(machine.start() == .observe)
        #expect(machine.planned(first, stopping: false) == .approve(first))
        #expect(machine.approved(true, stopping: false) == .apply(first))
        #expect(machine.applied(Self.report([Self.queueA.id: .succeeded]), stopping: false) == .observe)
        let after = Self.plan([Self.orphan])
        #expect(machine.planned(after, stopping: false) == .record(after))
        #expect(machine.recorded() == .finish(.completed))
        #expect(machine.rounds == 1)
    }

    @Test func withoutARecorderNothingIsObservedAfterTheLastRound() {
        var machine = Machine(maxRounds: 3, recordsFindings: false)
        let first = Self.plan([Self.queueA])
        _ = machine.start()
        _ = machine.planned(first, stopping: false)
        #expect(machine.approved(true, stopping: false) == .apply(first))
        #expect(machine.applied(Self.report([Self.queueA.id: .succeeded]), stopping: false) == .finish(.completed))
        #expect(machine.currentPlan == nil, "the plan no longer describes W&B after a write")
    }

    @Test func failedOrSkippedStepsRePlanUntilTheRoundsRunOut() {
        var machine = Machine(maxRounds: 2, recordsFindings: true)
        let first = Self.plan([Self.queueA, Self.queueB])
        _ = machine.start()
        _ = machine.planned(first, stopping: false)
        _ = machine.approved(true, stopping: false)
        let failing = Self.report([Self.queueA.id: .failed("HTTP 500"), Self.queueB.id: .skipped("not attempted: RunQueue ml/a did not succeed")])
        #expect(machine.applied(failing, stopping: false) == .observe)
        let second = Self.plan([Self.queueA, Self.queueB])
        #expect(machine.planned(second, stopping: false) == .apply(second))
        // Out of rounds: no third apply; W&B is observed once more for the findings.
        #expect(machine.applied(failing, stopping: false) == .observe)
        let after = Self.plan([Self.queueA])
        #expect(machine.planned(after, stopping: false) == .record(after))
        #expect(machine.rounds == 2)
    }

    @Test func aRePlanWithNothingToWriteIsRecordedWithoutAnotherRead() {
        var machine = Machine(maxRounds: 3, recordsFindings: true)
        _ = machine.start()
        _ = machine.planned(Self.plan([Self.queueA]), stopping: false)
        _ = machine.approved(true, stopping: false)
        #expect(machine.applied(Self.report([Self.queueA.id: .failed("dropped connection")]), stopping: false) == .observe)
        // The create had happened after all: the re-plan is empty and is what gets recorded.
        let converged = Self.plan([])
        #expect(machine.planned(converged, stopping: false) == .record(converged))
        #expect(machine.rounds == 1)
    }

    @Test func aPlanWithNothingToWriteAppliesNothingAndIsRecordedAsObserved() {
        var machine = Machine(maxRounds: 3, recordsFindings: true)
        let nothing = Self.plan([Self.orphan])
        _ = machine.start()
        #expect(machine.planned(nothing, stopping: false) == .approve(nothing))
        #expect(machine.approved(true, stopping: false) == .record(nothing))
        #expect(machine.recorded() == .finish(.completed))
        #expect(machine.rounds == 0)
    }

    @Test func deferredStepsAloneDoNotCallForAnotherRound() {
        #expect(!Machine.needsAnotherRound(Self.report([Self.queueA.id: .deferred("backing off"), Self.queueB.id: .succeeded])))
        #expect(Machine.needsAnotherRound(Self.report([Self.queueA.id: .skipped("not attempted: a dependency failed")])))
        #expect(Machine.needsAnotherRound(Self.report([Self.queueA.id: .failed("HTTP 502")])))
        var machine = Machine(maxRounds: 3, recordsFindings: false)
        _ = machine.start(with: Self.plan([Self.queueA]))
        _ = machine.approved(true, stopping: false)
        #expect(machine.applied(Self.report([Self.queueA.id: .deferred("backing off")]), stopping: false) == .finish(.completed))
    }

    @Test func aRunForOneObjectAppliesOnlyItsSteps() {
        let object = ObjectReference(kind: "RunQueue", identity: "ml/b")
        let plan = Self.plan([Self.queueA, Self.queueB, Self.orphan])
        #expect(Machine.scope(plan, to: object).steps == [Self.queueB])
        #expect(Machine.scope(plan, to: nil) == plan)
        var machine = Machine(maxRounds: 3, object: object, recordsFindings: true)
        _ = machine.start()
        _ = machine.planned(plan, stopping: false)
        #expect(machine.approved(true, stopping: false) == .apply(Self.plan([Self.queueB])))
        // The object already matches: nothing is applied although other objects differ; the whole plan is recorded.
        var matching = Machine(maxRounds: 3, object: ObjectReference(kind: "Team", identity: "ml"), recordsFindings: true)
        _ = matching.start()
        _ = matching.planned(plan, stopping: false)
        #expect(matching.approved(true, stopping: false) == .record(plan))
        #expect(matching.rounds == 0)
    }

    @Test func stoppingEndsTheRunWithoutRecordingFindings() {
        var before = Machine(maxRounds: 3, recordsFindings: true)
        _ = before.start()
        _ = before.planned(Self.plan([Self.queueA]), stopping: false)
        #expect(before.approved(true, stopping: true) == .finish(.stopped))
        #expect(before.rounds == 0)

        var during = Machine(maxRounds: 3, recordsFindings: true)
        _ = during.start()
        _ = during.planned(Self.plan([Self.queueA, Self.queueB]), stopping: false)
        _ = during.approved(true, stopping: false)
        let drained = Self.report([Self.queueA.id: .succeeded, Self.queueB.id: .skipped("not attempted: launchq serve was shutting down")])
        #expect(during.applied(drained, stopping: true) == .finish(.stopped))
    }

    @Test func theGateSkipsWhileStoppingAndDefersWhatItHoldsBack() {
        var asked = false
        let stopping = Machine.admission(stopping: true, stopReason: "launchq serve was shutting down", deferral: { asked = true; return "backing off" }())
        #expect(stopping == .skip("not attempted: launchq serve was shutting down"))
        #expect(!asked, "the backoff is not consulted while stopping")
        #expect(Machine.admission(stopping: false, stopReason: "stop", deferral: "backing off") == .defer("backing off"))
        #expect(Machine.admission(stopping: false, stopReason: "stop", deferral: nil) == .attempt)
    }

    @Test func aSavedPlanIsRefusedWhenWandbChangedAndOtherwiseAppliedOnce() {
        let saved = Self.plan([Self.queueA, Self.queueB], observedHash: "then")
        var stale = Machine(maxRounds: 3, recordsFindings: true)
        #expect(stale.start(saved: saved) == .checkStaleness(saved.scope))
        #expect(stale.observedSavedPlan(hash: "now") == .finish(.stale))

        var fresh = Machine(maxRounds: 3, recordsFindings: true)
        _ = fresh.start(saved: saved)
        #expect(fresh.observedSavedPlan(hash: "then") == .approve(saved))
        #expect(fresh.approved(true, stopping: false) == .apply(saved))
        // No declarations to re-plan from: one round, and no findings.
        #expect(fresh.applied(Self.report([Self.queueA.id: .failed("HTTP 500")]), stopping: false) == .finish(.completed))
        #expect(!fresh.recordsFindings)
    }

    @Test func aDeclinedPlanWritesNothing() {
        var machine = Machine(maxRounds: 3, recordsFindings: true)
        let plan = Self.plan([Self.queueA])
        #expect(machine.start(with: plan) == .approve(plan))
        #expect(machine.approved(false, stopping: false) == .finish(.declined))
        #expect(machine.rounds == 0)
    }

    @Test func countsAddUpEveryRound() {
        let rounds = [
            Reconciliation.Round(plan: Self.plan([Self.queueA, Self.queueB]), report: Self.report([Self.queueA.id: .failed("x"), Self.queueB.id: .deferred("y")])),
            Reconciliation.Round(plan: Self.plan([Self.queueA]), report: Self.report([Self.queueA.id: .succeeded])),
        ]
        #expect(Reconciliation.Counts(rounds) == Reconciliation.Counts(succeeded: 1, failed: 1, skipped: 0, deferred: 1))
    }
}
