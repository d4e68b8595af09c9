import Declarations
import Planning
import Reconciler
import Testing

/// A run that does not keep its plans whole (`launchq serve`'s, ``Reconciliation/Request/keepsPlans``): the same
/// writes, counts, summaries and refusals, without what each step wrote.
@Suite("Reconcile pipeline: plans kept as outlines", .serialized)
struct PlanOutlineEndToEnd {
    @Test("keepsPlans false: same outcome, summary and step ids; the result's steps carry no writes or changes", .timeLimit(.minutes(3)))
    func outlinesOnly() async throws {
        let declarations = try Fixtures.examples()
        try await EndToEnd.with { sandbox in
            let reconciliation = sandbox.reconciliation()
            let whole = try await reconciliation.preview(declarations)
            #expect(whole.steps.contains { $0.write != nil }, "the examples' first plan writes something")
            var request = Reconciliation.Request()
            request.keepsPlans = false
            let result = try await reconciliation.run(declarations, request)
            let first = try #require(result.firstPlan)
            #expect(result.ending == .completed && result.counts.failed == 0 && result.counts.succeeded == whole.steps.count { $0.action.changesWandb })
            #expect(first.summary == whole.summary && first.hasRefusals == whole.hasRefusals && first.hasChanges)
            #expect(first.steps.map(\.id) == whole.steps.map(\.id) && first.steps.map(\.action) == whole.steps.map(\.action))
            #expect(first.steps.map(\.declarationHash) == whole.steps.map(\.declarationHash))
            let kept = result.rounds.flatMap(\.plan.steps) + first.steps
            #expect(kept.allSatisfy { $0.write == nil && $0.changes.isEmpty && $0.desired == nil })
            // Nothing is left to write: the run applied everything it planned.
            #expect(try await reconciliation.preview(declarations).hasChanges == false)
        }
    }

    @Test("an outline keeps the counts, summary and refusals of its plan")
    func outlineKeepsCounts() {
        let steps = [
            PlanStep(.create, .project, "ml/p", write: .upsertProject(entity: "ml", name: "p", description: "d")),
            PlanStep(.delete, .runQueue, "ml/q", write: .deleteRunQueue(id: "Q1"), wandbID: "Q1"),
            PlanStep(.refused, .team, "ml", reason: "not an admin"),
        ]
        let plan = Plan(observedHash: "o", desiredHash: "d", scope: ObservationScope(), steps: steps, deletionCap: DeletionCap(maximum: 0, managedObjects: 3, deletions: ["RunQueue ml/q"]))
        let outline = plan.outline
        #expect(outline.summary == plan.summary && outline.hasChanges && outline.hasRefusals && outline.deletionCap == plan.deletionCap)
        #expect(outline.steps.map(\.id) == plan.steps.map(\.id) && outline.steps.map(\.reason) == plan.steps.map(\.reason))
        #expect(outline.steps.allSatisfy { $0.write == nil } && outline.observedHash == "o" && outline.desiredHash == "d")
    }
}
