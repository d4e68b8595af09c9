import Declarations
import Foundation
import JSON
import Planning
import Reconciler
import ReconcilerStore
import Store
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// A queue edited through the official SDK behind launchq's back: with the store's `lastApplied` hashes the plan
/// marks it as drift; `drift: correct` puts it back, `drift: report` only reports it.
@Suite(
    "Drift made through the SDK, end to end", .serialized, .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason),
    .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct DriftEndToEnd {
    /// `ml-platform/workstation-process` as someone edits it in a notebook: another base image, no description.
    static let edit: [String: JSONValue] = [
        "name": "workstation-process", "entity": "ml-platform", "resource_type": "local-process",
        "resource_config": .object(["builder": .object(["accelerator": .object(["base_image": "python:3.12-slim"])])]),
        "template_variables": .object(["base_image": .object(["schema": .object(["type": "string", "default": "python:3.12-slim"])])]),
    ]
    static let queue = (entity: "ml-platform", name: "workstation-process")
    static let stepID = PlanStep.id(.runQueue, "ml-platform/workstation-process")

    @Test("drift is detected with the store, corrected by apply, or only reported under drift: report", .timeLimit(.minutes(8)))
    func driftCorrectedOrReported() async throws {
        try await WandbSDKVenv.require()
        let declarations = try Fixtures.examples()
        let declared = try #require(Fixtures.queues(declarations).first { $0.name == Self.queue.name })
        try await TestDatabase.withFreshDatabase { store, _ in
            try await EndToEnd.with { sandbox in
                let recorder = StoreRecorder(events: store.events, objects: store.objects, actor: "drift-test")
                let lastApplied: @Sendable () async throws -> [String: String] = { try await StoreRecorder.lastApplied(from: store.objects) }
                try await sandbox.apply(declarations, sandbox.reconciliation(recorder: recorder), lastApplied: lastApplied)
                let applied = try await lastApplied()
                let hash = try #require(declarations.first { $0.kind == .runQueue && $0.identity == "ml-platform/workstation-process" }?.contentHash)
                #expect(applied[Self.stepID] == hash, "lastApplied after apply: \(applied)")

                // 1. Edit through the SDK: the plan shows an update marked as drift (the declaration did not change).
                try await sandbox.sdkUpsert(Self.edit)
                let correcting = sandbox.reconciliation(recorder: recorder)
                let (plan, observed) = try await correcting.plan(declarations, lastApplied: try await lastApplied())
                let step = try #require(plan.steps.first { $0.id == Self.stepID }, "\(plan.text)")
                #expect(step.action == .update && step.drift, "\(plan.text)")
                #expect(step.changes.contains { $0.path.hasPrefix("/resource_config") }, "\(step.changes)")
                #expect(plan.steps.count == 1, "only the edited queue changes: \(plan.text)")
                #expect(plan.text.contains("(drift: changed on W&B)"))
                // Without the store's hashes the same difference is an ordinary update, not drift.
                let (blind, _) = try await correcting.plan(declarations)
                #expect(blind.steps.first { $0.id == Self.stepID }?.drift == false)

                // 2. Apply corrects it: the SDK reads the declared config again.
                let rounds = try await correcting.run(declarations, first: plan, observed: observed, lastApplied: lastApplied)
                #expect(rounds.last?.report.outcomes[Self.stepID]?.succeeded == true)
                let corrected = try #require(try await sandbox.sdkQueues([Self.queue])["ml-platform/workstation-process"] ?? nil)
                #expect(corrected.default_resource_config["resource_args"]?["local-process"]?.canonical == declared.resourceConfig.canonical)
                let (after, _) = try await correcting.plan(declarations, lastApplied: try await lastApplied())
                #expect(!after.hasChanges, "\(after.text)")

                // 3. Edit again; under drift: report the plan reports it and apply writes nothing.
                try await sandbox.sdkUpsert(Self.edit)
                let reporting = sandbox.reconciliation(drift: .report, recorder: recorder)
                let (reported, reportedFrom) = try await reporting.plan(declarations, lastApplied: try await lastApplied())
                let reportStep = try #require(reported.steps.first { $0.id == Self.stepID }, "\(reported.text)")
                #expect(reportStep.action == .report && reportStep.drift, "\(reported.text)")
                #expect(!reported.hasChanges)
                await sandbox.server.resetCounters()
                let reportRounds = try await reporting.run(declarations, first: reported, observed: reportedFrom, lastApplied: lastApplied)
                #expect(reportRounds.count == 1 && reportRounds[0].report.outcomes.isEmpty)
                #expect(await sandbox.server.counters().mutations == 0)
                try await recorder.recordFindings(reported, matching: declarations)
                let status = try await store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "ml-platform/workstation-process"))
                #expect(status?.state == .drifted)
                let left = try #require(try await sandbox.sdkQueues([Self.queue])["ml-platform/workstation-process"] ?? nil)
                #expect(left.default_resource_config["resource_args"]?["local-process"]?["builder"]?["accelerator"]?["base_image"] == "python:3.12-slim")
            }
        }
    }
}
