import Declarations
import Planning
import Reconciler
import Testing
import TestSupport
import WandbSandbox

/// A fleet observed, planned and applied one entity at a time (issue 13) converges like a whole-fleet one.
@Suite("Reconciling in chunks of entities, end to end", .serialized)
struct ChunkedApplyEndToEnd {
    @Test("chunks of one entity: the first apply converges, the plan equals the whole-fleet plan, a no-op reads each entity once", .timeLimit(.minutes(3)))
    func chunkedApplyConverges() async throws {
        let declarations = try Fixtures.generated(prefix: "chunk", teams: 3, queuesEach: 3)
        try await EndToEnd.with { sandbox in
            var chunked = sandbox.reconciliation(prune: true)
            chunked.entitiesPerChunk = 1
            #expect(chunked.chunkSize == 1)

            // From empty: the same plan as the whole fleet's, and applied in one run.
            let whole = try await sandbox.reconciliation(prune: true).plan(declarations).0
            let (first, slim) = try await chunked.planFleet(declarations)
            #expect(first == whole, "\(first.text)\n---\n\(whole.text)")
            #expect(first.count(.create) == whole.count(.create) && first.count(.create) > 9, "\(first.text)")
            #expect(slim.entities.count == 3 && slim.viewer != nil)
            let result = try await chunked.run(declarations)
            #expect(result.ending == .completed && result.counts.failed == 0 && result.counts.skipped == 0)
            #expect(result.counts.succeeded == first.steps.count { $0.action.changesWandb }, "\(result.rounds.map(\.plan.text))")

            // Converged: nothing to do, whether planned in chunks or at once; one entity read per chunk, one user lookup.
            await sandbox.server.resetCounters()
            let again = try await chunked.preview(declarations)
            let counters = await sandbox.server.counters()
            #expect(again.steps.isEmpty, "\(again.text)")
            #expect(counters.mutations == 0 && counters.total == 3 + 1, "\(counters.requestsByOperation)")
            #expect(try await sandbox.reconciliation(prune: true).plan(declarations).0 == again)

            // A change in one entity and a removed queue in another: the same plan either way, and it converges.
            var changed = declarations.filter { $0.identity != "chunk-t2/q1" }
            changed += try Fixtures.declarations(yaml: Fixtures.queue(entity: "chunk-t0", name: "q9", type: "kubernetes", revision: 1))
            let (changedPlan, _) = try await chunked.planFleet(changed)
            #expect(changedPlan == (try await sandbox.reconciliation(prune: true).plan(changed).0), "\(changedPlan.text)")
            #expect(changedPlan.count(.create) == 1 && changedPlan.count(.delete) == 1, "\(changedPlan.text)")
            let applied = try await chunked.run(changed)
            #expect(applied.counts.succeeded == 2 && applied.counts.failed == 0)
            #expect(try await chunked.preview(changed).steps.isEmpty)
        }
    }
}
