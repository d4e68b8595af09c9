import Declarations
import Foundation
import Planning
import Reconciler
import Synchronization
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// The pipeline's hooks against the sandbox, as `serve` uses them: a run for one object, the per-step gate
/// (deferred steps are not written), stopping between steps, and what the run reports as it goes.
@Suite("Reconcile pipeline hooks, end to end", .serialized)
struct PipelineHooksEndToEnd {
    /// Values collected from the pipeline's concurrent hooks.
    final class Collected<Value: Sendable>: Sendable {
        private let values = Mutex<[Value]>([])
        func append(_ value: Value) { values.withLock { $0.append(value) } }
        var all: [Value] { values.withLock { $0 } }
    }

    @Test("a run for one object writes only it; deferred steps are neither written nor retried", .timeLimit(.minutes(3)))
    func scopeAndGate() async throws {
        let declarations = try Fixtures.examples()
        try await EndToEnd.with { sandbox in
            let reconciliation = sandbox.reconciliation()
            let alice = try await reconciliation.run(
                declarations, Reconciliation.Request(object: ObjectReference(kind: "User", identity: "alice@example.com")))
            #expect(alice.ending == .completed && alice.rounds.count == 1, "\(alice.rounds.map(\.plan.summary))")
            #expect(alice.rounds.first?.plan.steps.map(\.id) == ["User alice@example.com"])
            #expect(alice.firstPlan?.count(.create) == 13, "the plan itself still covers every declaration")
            #expect(alice.counts == Reconciliation.Counts(succeeded: 1))
            #expect(await sandbox.server.counters().mutations == 1)

            await sandbox.server.resetCounters()
            let activity = Collected<Reconciliation.Activity>()
            let gated = try await reconciliation.run(
                declarations,
                Reconciliation.Request(deferral: { $0.subject == .runQueue ? "backing off" : nil }, activity: { activity.append($0) }))
            #expect(gated.rounds.count == 1, "deferred steps alone call for no other round")
            #expect(gated.counts == Reconciliation.Counts(succeeded: 7, deferred: 5), "\(gated.outcomes)")
            #expect(gated.outcomes["RunQueue ml-platform/a100-training"]?.status == .deferred("backing off"), "\(gated.outcomes)")
            #expect(await sandbox.server.counters().mutations == 7)
            let entity = try await sandbox.client.readEntities(["ml-platform"], including: .all)["ml-platform"]
            #expect(entity?.isTeam == true && entity?.runQueues.isEmpty == true, "deferred queues were written")

            // What the run reported as it went: read, approve, round 1, each written step started then wrote then ended.
            let seen = activity.all
            #expect(Array(seen.prefix(3)) == [.observing, .approving, .applying(round: 1)], "\(seen.prefix(5))")
            let team = "Team ml-platform"
            let order = [Reconciliation.Activity.recordingStart(team), .writing(team), .stepDone(team)].map { seen.firstIndex(of: $0) }
            #expect(order.allSatisfy { $0 != nil } && order == order.sorted { ($0 ?? 0) < ($1 ?? 0) }, "\(seen)")
            #expect(!seen.contains(.writing("RunQueue ml-platform/a100-training")))
        }
    }

    @Test("once stopping, steps not started are skipped with the reason and not written", .timeLimit(.minutes(3)))
    func stopping() async throws {
        let declarations = try Fixtures.examples()
        try await EndToEnd.with { sandbox in
            let stop = Collected<Bool>()
            let result = try await sandbox.reconciliation().run(
                declarations,
                Reconciliation.Request(
                    isStopping: { !stop.all.isEmpty }, stopReason: "the test stopped it", stepFinished: { _, _ in stop.append(true) }))
            #expect(result.ending == .stopped && result.rounds.count == 1)
            let counts = result.counts
            #expect(counts.succeeded >= 1 && counts.succeeded <= 3 && counts.succeeded + counts.skipped == 13, "\(result.outcomes)")
            #expect(await sandbox.server.counters().mutations == counts.succeeded)
            guard case .skipped(let reason)? = result.outcomes["Team ml-platform"]?.status else {
                Issue.record("the team step was not skipped: \(result.outcomes)")
                return
            }
            #expect(reason == "not attempted: the test stopped it" || reason.hasSuffix("did not succeed"), "\(reason)")
            #expect(result.outcomes.values.contains { $0.status == .skipped("not attempted: the test stopped it") })
            let entity = try await sandbox.client.readEntities(["ml-platform"], including: .all)["ml-platform"]
            #expect(entity?.exists != true, "the team was created after the run was stopping")
        }
    }
}
