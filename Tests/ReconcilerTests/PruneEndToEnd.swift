import Declarations
import Foundation
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// A queue whose declaration is removed: an orphan (reported, left alone) with pruning off, deleted with it on.
@Suite("Pruning removed declarations, end to end", .serialized, .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason))
struct PruneEndToEnd {
    @Test("prune off reports an orphan and leaves it; prune on deletes the queue (the SDK finds it gone)", .timeLimit(.minutes(5)))
    func pruneOffThenOn() async throws {
        try await WandbSDKVenv.require()
        let all = try Fixtures.examples()
        let removed = (entity: "ml-platform", name: "vertex-tpu")
        let remaining = all.filter { $0.identity != "\(removed.entity)/\(removed.name)" }
        try #require(remaining.count == all.count - 1)
        try await EndToEnd.with { sandbox in
            try await sandbox.apply(all, sandbox.reconciliation())
            let before = try #require(try await sandbox.sdkQueues([removed])["ml-platform/vertex-tpu"] ?? nil, "vertex-tpu not applied")
            let stepID = PlanStep.id(.runQueue, "ml-platform/vertex-tpu")

            // Pruning off: an orphan, reported and left alone; apply writes nothing.
            let keeping = sandbox.reconciliation(prune: false)
            let (orphaned, observed) = try await keeping.plan(remaining)
            let orphan = try #require(orphaned.steps.first { $0.id == stepID }, "\(orphaned.text)")
            #expect(orphan.action == .orphan && orphan.wandbID == before.id, "\(orphaned.text)")
            #expect(!orphaned.hasChanges && orphaned.steps.count == 1, "\(orphaned.text)")
            #expect(orphaned.text.contains("? RunQueue ml-platform/vertex-tpu"), "\(orphaned.text)")
            await sandbox.server.resetCounters()
            _ = try await keeping.run(remaining, first: orphaned, observed: observed)
            #expect(await sandbox.server.counters().mutations == 0)
            #expect(try await sandbox.sdkQueues([removed])["ml-platform/vertex-tpu"] ?? nil != nil, "an orphan must be left alone")

            // Pruning on: deleted, and only it.
            let pruning = sandbox.reconciliation(prune: true)
            let (plan, pruneObserved) = try await pruning.plan(remaining)
            let delete = try #require(plan.steps.first { $0.id == stepID }, "\(plan.text)")
            #expect(delete.action == .delete && plan.count(.delete) == 1 && plan.steps.count == 1, "\(plan.text)")
            let rounds = try await pruning.run(remaining, first: plan, observed: pruneObserved)
            #expect(rounds.last?.report.outcomes[stepID]?.succeeded == true)

            let queues = Fixtures.queues(all).map { ($0.entity, $0.name) }
            let read = try await sandbox.sdkQueues(queues)
            #expect(read["ml-platform/vertex-tpu"] ?? nil == nil, "the SDK still finds the pruned queue")
            for queue in Fixtures.queues(remaining) {
                #expect(read["\(queue.entity)/\(queue.name)"] ?? nil != nil, "\(queue.name) must survive pruning")
            }
            let (after, _) = try await pruning.plan(remaining)
            #expect(after.steps.isEmpty, "\(after.text)")
        }
    }
}
