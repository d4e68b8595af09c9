import Declarations
import Foundation
import Planning
import Reconciler
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// Editing declarations after a first apply: the plan lists exactly the edits, apply makes them, the next plan is
/// empty, and the official SDK reads the edited queue.
@Suite("Declaration edits applied, end to end", .serialized)
struct ChangesEndToEnd {
    static let edits = """
        apiVersion: launchq/v1
        kind: User
        email: dave@example.com
        ---
        apiVersion: launchq/v1
        kind: Team
        name: ml-platform
        admin: alice@example.com
        members:
          - user: bob@example.com
            role: member
          - user: carol@example.com
            role: admin
          - user: dave@example.com
            role: member
        ---
        apiVersion: launchq/v1
        kind: Project
        entity: ml-platform
        name: llm-pretrain
        description: Pre-training runs for the LLM family (v2)
        ---
        apiVersion: launchq/v1
        kind: RunQueue
        entity: ml-platform
        name: workstation-process
        resource_type: local-process
        prioritization_mode: V0
        resource_config:
          builder:
            accelerator:
              base_image: "{{base_image}}"
        template_variables:
          base_image:
            description: Base image when the agent builds one (CUDA 12.6)
            schema: {type: string, default: "nvidia/cuda:12.6.0-runtime-ubuntu22.04", enum: ["nvidia/cuda:12.6.0-runtime-ubuntu22.04", "python:3.12"]}
        external_links:
          Runbook: https://wiki.example.com/ml-platform/workstations
        """

    @Test("edits to users, members, a project and a queue are planned exactly and applied", .timeLimit(.minutes(5)))
    func editsApplied() async throws {
        let original = try Fixtures.examples()
        let replaced: Set<String> = ["User dave@example.com", "Team ml-platform", "Project ml-platform/llm-pretrain", "RunQueue ml-platform/workstation-process"]
        let edited = original.filter { !replaced.contains("\($0.kind.rawValue) \($0.identity)") } + (try Fixtures.declarations(yaml: Self.edits))
        try #require(edited.count == original.count + 1)
        try await EndToEnd.with { sandbox in
            try await sandbox.apply(original, sandbox.reconciliation())
            let (plan, observed) = try await sandbox.reconciliation().plan(edited)
            let actions = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0.action) })
            #expect(actions == [
                "User dave@example.com": .create, "TeamMember ml-platform/dave@example.com": .create,
                "Project ml-platform/llm-pretrain": .update, "RunQueue ml-platform/workstation-process": .update,
            ], "\(plan.text)")
            let queueStep = plan.steps.first { $0.subject == .runQueue }
            #expect(Set(queueStep?.changes.map(\.path) ?? []) == [
                "/prioritization_mode", "/external_links/Runbook", "/template_variables/base_image/description",
                "/template_variables/base_image/schema/default", "/template_variables/base_image/schema/enum",
            ], "\(queueStep?.changes ?? [])")
            #expect(queueStep?.drift == false)

            let rounds = try await sandbox.reconciliation().run(edited, first: plan, observed: observed)
            #expect(rounds.count == 1 && rounds[0].report.failed == 0 && rounds[0].report.succeeded == 4, "\(rounds[0].report.outcomes)")
            let (after, _) = try await sandbox.reconciliation().plan(edited)
            #expect(after.steps.isEmpty, "\(after.text)")

            let entity = try #require(try await sandbox.client.readEntities(["ml-platform"], including: .all)["ml-platform"])
            #expect(entity.projects.first { $0.name == "llm-pretrain" }?.description == "Pre-training runs for the LLM family (v2)")
            #expect(entity.members.contains { $0.email?.lowercased() == "dave@example.com" || $0.username == "dave" }, "\(entity.members)")
            let queue = try #require(entity.runQueues.first { $0.name == "workstation-process" })
            #expect(queue.prioritizationMode.rawValue == "V0")
            #expect(queue.externalLinks == [ExternalLink(label: "Runbook", url: "https://wiki.example.com/ml-platform/workstations")])
            #expect(queue.templateVariables["base_image"]?.description == "Base image when the agent builds one (CUDA 12.6)")

            // Going back from V0 to DISABLED is refused by W&B's rules: the plan refuses it and apply does not try.
            let (back, _) = try await sandbox.reconciliation().plan(original)
            let refused = back.steps.first { $0.id == "RunQueue ml-platform/workstation-process" }
            #expect(refused?.action == .refused && refused?.reason?.contains("V0") == true, "\(back.text)")
        }
    }
}
