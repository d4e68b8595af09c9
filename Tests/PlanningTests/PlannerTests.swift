import Declarations
import Foundation
import JSON
import Planning
import Testing
import WandbModel

/// The planner is pure: these tests build W&B's state as the wire returns it (wrapped configs,
/// template variables as a list of JSON-string schemas) and check the plan.
@Suite("Planning")
struct PlannerTests {
    /// A custom object (`apiVersion: example.com/v1`): its `spec.limits` are not a Job's, so the Job schema does not judge them.
    static let queueText = """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: ml
        name: gpu
        resource_type: kubernetes
        prioritization_mode: V0
        resource_config:
          apiVersion: example.com/v1
          spec: {limits: {nvidia.com/gpu: "{{gpus}}", cpu: 2.0}}
        template_variables:
          gpus:
            description: GPUs
            schema: {type: integer, default: 1, minimum: 1, maximum: 8}
        external_links: {Dash: "https://grafana.example.com/d/x"}

        """

    static func declarations(_ text: String) -> [Declaration] {
        var load = LoadResult()
        DeclarationLoader().load(contents: Array(text.utf8), file: "test.yaml", into: &load)
        let report = Validator().validate(load)
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
        return report.declarations
    }

    /// The queue as W&B returns it after the SDK wrote `queueText`, with `edit` applied to its config.
    static func observedQueue(name: String = "gpu", mode: String = "V0", config: JSONValue? = nil, id: String = "q1") -> ObservedRunQueue {
        let body: JSONValue = config ?? .object([
            "apiVersion": "example.com/v1", "spec": .object(["limits": .object(["nvidia.com/gpu": .string("{{gpus}}"), "cpu": .integer(2)])]),
        ])
        return ObservedRunQueue(
            id: id, entity: "ml", name: name, resourceType: "kubernetes",
            wrappedConfig: .object(["resource_args": .object(["kubernetes": body])]),
            templateVariables: [
                "gpus": ObservedTemplateVariable(name: "gpus", description: "GPUs", schemaJSON: #"{"maximum": 8, "type": "integer", "minimum": 1, "default": 1.0}"#)
            ],
            prioritizationMode: WandbModel.PrioritizationMode(rawValue: mode),
            externalLinksJSON: .object(["links": .array([.object(["label": .string("Dash"), "url": .string("https://grafana.example.com/d/x")])])]),
            access: .project, defaultResourceConfigID: "c1")
    }

    static func observed(queues: [ObservedRunQueue], projects: [String] = ["model-registry"]) -> ObservedState {
        var projectMap: [String: ObservedState.Project] = [:]
        for name in projects { projectMap[name] = ObservedState.Project(id: "p-\(name)") }
        return ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", queues: queues, projects: projectMap)])
    }

    @Test func anUnchangedQueueIsANoOpDespiteTheWireShapes() {
        let plan = Planner().plan(Self.declarations(Self.queueText), observed: Self.observed(queues: [Self.observedQueue()]))
        #expect(plan.steps.isEmpty, "\(plan.text)")
        #expect(!plan.hasChanges)
        #expect(plan.summary == "Plan: 0 to create, 0 to update, 0 to delete.")
    }

    @Test func aChangedConfigIsAnUpdateWithAFieldLevelDiff() throws {
        let changed: JSONValue = .object([
            "apiVersion": "example.com/v1", "spec": .object(["limits": .object(["nvidia.com/gpu": .string("{{gpus}}"), "cpu": .integer(4)])]),
        ])
        let plan = Planner().plan(Self.declarations(Self.queueText), observed: Self.observed(queues: [Self.observedQueue(config: changed)]))
        let step = try #require(plan.steps.first)
        #expect(plan.steps.count == 1)
        #expect(step.action == .update)
        #expect(step.wandbID == "q1")
        #expect(step.changes == [FieldChange(path: "/resource_config/spec/limits/cpu", before: .integer(4), after: .integer(2))])
        #expect(!step.drift)
        #expect(plan.text.contains("~ RunQueue ml/gpu\n    ~ /resource_config/spec/limits/cpu: 4 → 2"))
    }

    @Test func aMissingQueueIsCreatedAfterItsProject() throws {
        let plan = Planner().plan(Self.declarations(Self.queueText), observed: Self.observed(queues: [], projects: []))
        #expect(plan.steps.map(\.id) == ["Project ml/model-registry", "RunQueue ml/gpu"])
        #expect(plan.steps.allSatisfy { $0.action == .create })
        #expect(plan.steps[1].dependsOn == ["Project ml/model-registry"])
        #expect(plan.steps[1].desired?["resource_config"]?["spec"]?["limits"]?["cpu"] == .integer(2))
        if case .integer? = plan.steps[1].desired?["resource_config"]?["spec"]?["limits"]?["cpu"] {} else { Issue.record("cpu is an integer") }
    }

    @Test func v0CannotGoBackToDisabled() throws {
        let text = Self.queueText.replacingOccurrences(of: "prioritization_mode: V0", with: "prioritization_mode: DISABLED")
        let plan = Planner().plan(Self.declarations(text), observed: Self.observed(queues: [Self.observedQueue()]))
        let step = try #require(plan.steps.first)
        #expect(step.action == .refused)
        #expect(step.reason?.contains("V0") == true)
        #expect(plan.hasRefusals)
        #expect(!plan.hasChanges)
    }

    @Test func undeclaredQueuesAreOrphansUnlessPruning() throws {
        var observed = Self.observed(queues: [Self.observedQueue(), Self.observedQueue(name: "handmade", id: "q2")])
        observed.entities["ml"]?.queues["handmade"]?.pendingItems = 0  // read: empty (a deletion needs its items read)
        let kept = Planner().plan(Self.declarations(Self.queueText), observed: observed)
        #expect(kept.steps.map(\.action) == [.orphan])
        #expect(kept.steps.first?.identity == "ml/handmade")
        #expect(!kept.hasChanges)
        var configuration = Planner.Configuration()
        configuration.prune = true
        let pruned = Planner(configuration: configuration).plan(Self.declarations(Self.queueText), observed: observed)
        #expect(pruned.steps.map(\.action) == [.delete])
        #expect(pruned.steps.first?.wandbID == "q2")
        #expect(pruned.summary == "Plan: 0 to create, 0 to update, 1 to delete.")
    }

    @Test func driftIsAChangeOnWandbToAnUnchangedDeclaration() throws {
        let declarations = Self.declarations(Self.queueText)
        let lastApplied = ["RunQueue ml/gpu": declarations[0].contentHash]
        let edited = Self.observed(queues: [Self.observedQueue(config: .object(["spec": .object([:])]))])
        let corrected = Planner().plan(declarations, observed: edited, lastApplied: lastApplied)
        #expect(corrected.steps.map(\.action) == [.update])
        #expect(corrected.steps.first?.drift == true)
        #expect(corrected.text.contains("(drift: changed on W&B)"))

        var configuration = Planner.Configuration()
        configuration.drift = .report
        let reported = Planner(configuration: configuration).plan(declarations, observed: edited, lastApplied: lastApplied)
        #expect(reported.steps.map(\.action) == [.report])
        #expect(!reported.hasChanges)

        let policyWins = Self.declarations(Self.queueText + "policy: {drift: correct}\n")
        let overridden = Planner(configuration: configuration).plan(
            policyWins, observed: edited, lastApplied: ["RunQueue ml/gpu": policyWins[0].contentHash])
        #expect(overridden.steps.map(\.action) == [.update])

        let changedDeclaration = Planner(configuration: configuration).plan(declarations, observed: edited, lastApplied: ["RunQueue ml/gpu": "old"])
        #expect(changedDeclaration.steps.map(\.action) == [.update])
        #expect(changedDeclaration.steps.first?.drift == false)
    }

    @Test func usersTeamsMembersAndProjectsAreOrderedWithDependencies() throws {
        let text = """
            apiVersion: launchq/v1
            kind: Team
            name: ml
            admin: alice@example.com
            members: [{user: bob@example.com, role: admin}]
            ---
            apiVersion: launchq/v1
            kind: User
            email: Alice@example.com
            ---
            apiVersion: launchq/v1
            kind: User
            email: bob@example.com
            ---
            apiVersion: launchq/v1
            kind: Project
            entity: ml
            name: research
            ---

            """ + Self.queueText
        let plan = Planner().plan(Self.declarations(text), observed: ObservedState())
        #expect(plan.steps.map(\.id) == [
            "User alice@example.com", "User bob@example.com", "Team ml", "TeamMember ml/bob@example.com",
            "Project ml/model-registry", "Project ml/research", "RunQueue ml/gpu",
        ])
        let byID = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0) })
        #expect(byID["Team ml"]?.dependsOn == ["User alice@example.com"])
        #expect(byID["TeamMember ml/bob@example.com"]?.dependsOn == ["Team ml", "User bob@example.com"])
        #expect(byID["RunQueue ml/gpu"]?.dependsOn == ["Team ml", "Project ml/model-registry"])
        #expect(byID["TeamMember ml/bob@example.com"]?.desired?["role"] == .string("admin"))
    }

    @Test func referencesThatExistNowhereAreRefused() {
        let text = "apiVersion: launchq/v1\nkind: Team\nname: ml\nadmin: ghost@example.com\nmembers: [{user: nobody}]\n"
        let plan = Planner().plan(Self.declarations(text), observed: ObservedState())
        #expect(plan.steps.map(\.action) == [.refused, .refused])
        #expect(plan.steps.map(\.id) == ["Team ml", "TeamMember ml/nobody"])
        let orphanQueue = Planner().plan(Self.declarations(Self.queueText), observed: ObservedState())
        #expect(orphanQueue.steps.map(\.action).contains(.refused))
        #expect(orphanQueue.steps.first { $0.subject == .runQueue }?.reason?.contains("entity ml does not exist") == true)
    }

    @Test func aUserEntityCannotBecomeATeam() {
        let observed = ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", isTeam: false)])
        let plan = Planner().plan(Self.declarations("apiVersion: launchq/v1\nkind: Team\nname: ml\n"), observed: observed)
        #expect(plan.steps.map(\.action) == [.refused])
    }

    @Test func existingMembersAndUsersAreMatchedByEmailOrUsername() {
        let text = "apiVersion: launchq/v1\nkind: Team\nname: ml\nmembers: [{user: Bob@Example.com}, {user: carol}]\n"
        let members = [
            ObservedTeamMember(id: "m1", username: "bob", email: "bob@example.com", name: "Bob", admin: false, pending: false, accountType: nil, role: nil),
            ObservedTeamMember(id: "m2", username: "carol", email: nil, name: "Carol", admin: false, pending: false, accountType: nil, role: nil),
            ObservedTeamMember(id: "m3", username: "dave", email: "dave@example.com", name: "Dave", admin: false, pending: false, accountType: nil, role: nil),
        ]
        let observed = ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", members: members)])
        let plan = Planner().plan(Self.declarations(text), observed: observed)
        #expect(plan.steps.map(\.id) == ["TeamMember ml/dave@example.com"])
        #expect(plan.steps.first?.action == .orphan)
    }

    @Test func savedPlansRoundTripAsJSON() throws {
        let plan = Planner().plan(Self.declarations(Self.queueText), observed: Self.observed(queues: [], projects: []))
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
        #expect(plan.scope == ObservationScope(entities: [], users: []))
    }
}
