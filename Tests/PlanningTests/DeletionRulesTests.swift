import Declarations
import Foundation
import JSON
import Planning
import Testing
import WandbModel

/// The deletion rules: pending items, the deletion cap, `policy.prune` and `policy.protect`.
@Suite("Planning: deletions that are safe by default")
struct DeletionRulesTests {
    /// Team `ml` declared (so its queues are managed) and `count` undeclared queues `old0…` on W&B, each holding
    /// `items` pending items.
    static func removedQueues(_ count: Int, items: Int? = 0) -> ObservedState {
        let queues = (0..<count).map { PlannerTests.observedQueue(name: "old\($0)", id: "q\($0)") }
        var observed = ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", queues: queues, projects: ["model-registry": .init(id: "p")])])
        for index in 0..<count { observed.entities["ml"]?.queues["old\(index)"]?.pendingItems = items }
        return observed
    }

    static let team = PlannerTests.declarations("apiVersion: launchq/v1\nkind: Team\nname: ml\n")

    static func planner(prune: Bool = true, allowNonempty: Bool = false, maxDeletions: Int? = nil) -> Planner {
        var configuration = Planner.Configuration()
        configuration.prune = prune
        configuration.allowNonemptyDelete = allowNonempty
        configuration.maxDeletions = maxDeletions
        return Planner(configuration: configuration)
    }

    @Test("a queue with pending items is refused, naming the count; --allow-nonempty-delete deletes it")
    func pendingItemsRefuseTheDeletion() throws {
        let refused = Self.planner().plan(Self.team, observed: Self.removedQueues(1, items: 3))
        let step = try #require(refused.steps.first)
        #expect(step.action == .refused && step.id == "RunQueue ml/old0", "\(refused.text)")
        #expect(step.reason?.contains("3 pending items") == true, "\(refused.text)")
        #expect(refused.hasRefusals && !refused.hasChanges)
        #expect(refused.text.contains("! RunQueue ml/old0: not deleted: 3 pending items still wait on it"), "\(refused.text)")

        let allowed = Self.planner(allowNonempty: true).plan(Self.team, observed: Self.removedQueues(1, items: 3))
        #expect(allowed.steps.map(\.action) == [.delete], "\(allowed.text)")
        #expect(allowed.steps.first?.reason?.contains("its 3 pending items go with it") == true, "\(allowed.text)")

        let many = Self.planner().plan(Self.team, observed: Self.removedQueues(1, items: 100))
        #expect(many.steps.first?.reason?.contains("at least 100 pending items") == true, "\(many.text)")
    }

    @Test("a queue whose items were not read is never deleted")
    func unreadItemsRefuse() throws {
        let plan = Self.planner(allowNonempty: false).plan(Self.team, observed: Self.removedQueues(1, items: nil))
        #expect(plan.steps.map(\.action) == [.refused], "\(plan.text)")
        #expect(Self.planner().deletionCandidates(Self.team, observed: Self.removedQueues(2, items: nil)).map(\.name) == ["old0", "old1"])
        #expect(Self.planner(prune: false).deletionCandidates(Self.team, observed: Self.removedQueues(2, items: nil)).isEmpty)
    }

    @Test("past the deletion cap the plan is refused with the list; raising the cap for the run allows it")
    func deletionCap() throws {
        let over = Self.planner().plan(Self.team, observed: Self.removedQueues(6))
        #expect(over.count(.delete) == 6)
        #expect(over.deletionCap.limit == 5 && over.deletionCap.exceeded && over.hasRefusals, "\(over.text)")
        #expect(over.deletionCap.deletions == (0..<6).map { "RunQueue ml/old\($0)" })
        #expect(over.text.contains("! Refused: this plan deletes 6 objects, more than the default cap 5"), "\(over.text)")
        #expect(over.text.contains("    - RunQueue ml/old5"), "\(over.text)")

        let raised = Self.planner(maxDeletions: 6).plan(Self.team, observed: Self.removedQueues(6))
        #expect(!raised.deletionCap.exceeded && !raised.hasRefusals && raised.hasChanges, "\(raised.text)")
        #expect(raised.text.contains("Deletions: 6, within --max-deletions 6."), "\(raised.text)")

        let none = Self.planner(maxDeletions: 0).plan(Self.team, observed: Self.removedQueues(1))
        #expect(none.deletionCap.exceeded, "\(none.text)")
    }

    @Test("the default cap is 5, or 10% of the managed objects, whichever is larger")
    func defaultCap() {
        #expect(DeletionCap.defaultLimit(managedObjects: 0) == 5)
        #expect(DeletionCap.defaultLimit(managedObjects: 59) == 5)
        #expect(DeletionCap.defaultLimit(managedObjects: 60) == 6)
        #expect(DeletionCap.defaultLimit(managedObjects: 1_000) == 100)
        // 1 declared + 7 to delete = 8 managed: the cap is 5.
        #expect(Self.planner().plan(Self.team, observed: Self.removedQueues(7)).deletionCap.managedObjects == 8)
        #expect(DeletionCap(maximum: nil, managedObjects: 100, deletions: Array(repeating: "x", count: 10)).exceeded == false)
        #expect(DeletionCap(maximum: nil, managedObjects: 100, deletions: Array(repeating: "x", count: 11)).exceeded)
    }

    @Test("policy.prune of the last applied declaration overrides the global setting; protect never deletes")
    func appliedPolicies() throws {
        let id = "RunQueue ml/old0"
        let kept = Self.planner(prune: true).plan(Self.team, observed: Self.removedQueues(1), appliedPolicies: [id: AppliedPolicy(prune: false)])
        #expect(kept.steps.map(\.action) == [.orphan], "\(kept.text)")
        #expect(kept.steps.first?.reason?.contains("policy.prune: false") == true, "\(kept.text)")

        let deleted = Self.planner(prune: false).plan(Self.team, observed: Self.removedQueues(1), appliedPolicies: [id: AppliedPolicy(prune: true)])
        #expect(deleted.steps.map(\.action) == [.delete], "\(deleted.text)")
        #expect(deleted.steps.first?.reason?.contains("policy.prune: true") == true, "\(deleted.text)")

        let protected = Self.planner(prune: true, allowNonempty: true).plan(
            Self.team, observed: Self.removedQueues(1), appliedPolicies: [id: AppliedPolicy(prune: true, protect: true)])
        #expect(protected.steps.map(\.action) == [.refused], "\(protected.text)")
        #expect(protected.steps.first?.reason?.contains("protected (policy.protect: true") == true, "\(protected.text)")
        // Pruning off: a protected queue is an orphan like any other.
        let orphan = Self.planner(prune: false).plan(Self.team, observed: Self.removedQueues(1), appliedPolicies: [id: AppliedPolicy(protect: true)])
        #expect(orphan.steps.map(\.action) == [.orphan], "\(orphan.text)")
    }

    /// A kubernetes queue whose config is `metadata.namespace: <namespace>`, as declared and as W&B returns it.
    static let namespacedText = PlannerTests.queueText.replacingOccurrences(
        of: "  spec: {limits: {nvidia.com/gpu: \"{{gpus}}\", cpu: 2.0}}", with: "  metadata: {namespace: \"train-{{gpus}}\"}")
    static func namespaced(_ namespace: String) -> JSONValue { .object(["metadata": .object(["namespace": .string(namespace)])]) }

    @Test("a protected queue is never changed irreversibly (DISABLED → V0); other changes go ahead")
    func protectRefusesIrreversibleChanges() throws {
        let declarations = PlannerTests.declarations(Self.namespacedText + "policy: {protect: true}\n")
        try #require(declarations.count == 1)
        let toV0 = Planner().plan(
            declarations, observed: PlannerTests.observed(queues: [PlannerTests.observedQueue(mode: "DISABLED", config: Self.namespaced("train-{{gpus}}"))]))
        let step = try #require(toV0.steps.first)
        #expect(step.action == .refused && step.reason?.contains("prioritization_mode DISABLED → V0 cannot be undone") == true, "\(toV0.text)")
        #expect(step.policy == AppliedPolicy(protect: true))

        let update = Planner().plan(declarations, observed: PlannerTests.observed(queues: [PlannerTests.observedQueue(config: Self.namespaced("old"))]))
        #expect(update.steps.map(\.action) == [.update], "\(update.text)")
        #expect(update.steps.first?.policy == AppliedPolicy(protect: true))

        let unprotected = Planner().plan(
            PlannerTests.declarations(Self.namespacedText),
            observed: PlannerTests.observed(queues: [PlannerTests.observedQueue(mode: "DISABLED", config: Self.namespaced("train-{{gpus}}"))]))
        #expect(unprotected.steps.map(\.action) == [.update], "\(unprotected.text)")
    }

    @Test("the JSON plan carries the cap and the policies; a plan saved without a cap gets the default over its deletions")
    func jsonCarriesTheCap() throws {
        let plan = Self.planner().plan(Self.team, observed: Self.removedQueues(6))
        let data = try JSONEncoder().encode(plan)
        let document = try JSONValue(parsing: Array(data))
        #expect(document["deletionCap"]?["limit"] == .integer(5))
        #expect(document["deletionCap"]?["deletions"]?.array?.count == 6)
        #expect(try Plan.read(saved: data) == plan)

        guard case .object(var members) = document else { Issue.record("a plan is an object"); return }
        members["deletionCap"] = nil
        let old = try Plan.read(saved: Data(CanonicalJSON.bytes(.object(members))))
        #expect(old.deletionCap.limit == 5 && old.deletionCap.deletions.count == 6 && old.deletionCap.exceeded)
    }
}
