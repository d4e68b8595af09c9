import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport
import WandbSandbox

/// A revision that breaks an error-level `kind: Policy` is refused at push and at source sync: nothing is
/// stored, and the answer (or the `revision.refused` event) names the policy. Real PostgreSQL and the sandbox.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct PolicyRefusalTests {
    /// `Bundles.small`'s gpu queue lets `{{gpus}}` reach 8; this policy allows 4.
    static func budget(severity: String) -> (String, String) {
        ("policies.yaml", """
            apiVersion: launchq/v1
            kind: Policy
            name: gpu-budget
            severity: \(severity)
            scope: {resource_types: [kubernetes]}
            rules:
              max_gpus_per_job: 4
            """)
    }

    @Test func aPushBreakingAnErrorPolicyIs400WithTheViolationAndStoresNothing() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "policed") + [Self.budget(severity: "error")])
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("invalid_bundle"))
                    let message = error?["message"]?.string ?? ""
                    #expect(message.contains("1 error breaks policy gpu-budget"), "\(message)")
                    #expect(message.contains("nothing was stored"), "\(message)")
                    let diagnostics = error?["details"]?["diagnostics"]?.array ?? []
                    let violation = try #require(diagnostics.first { $0["code"] == .string("policy.max-gpus-per-job") }, "\(diagnostics)")
                    #expect(violation["severity"] == .string("error"))
                    #expect(violation["file"] == .string("queues/gpu.yaml"))
                    #expect(violation["line"]?.integerValue == 14, "\(violation)")
                    #expect(violation["path"] == .string("/resource_config/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu"))
                    #expect(violation["message"]?.string?.contains("breaks policy \"gpu-budget\"") == true)
                    #expect(violation["message"]?.string?.contains("a job may use 8 GPUs, over the limit of 4") == true, "\(violation)")
                }
                #expect(try await harness.store.revisions.current() == nil)
                #expect(try await harness.store.count("revisions") == 0)
                #expect(try await harness.store.count("revision_declarations") == 0)
                #expect(try await harness.sandbox.counters().total == 0)

                // The same policy at warning level: stored, the policy with it, and the violation comes back as a warning.
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "policed") + [Self.budget(severity: "warning")])
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .created)
                    let warnings = try AdminHarness.json(response.body)["warnings"]?.array ?? []
                    #expect(warnings.contains { $0["code"] == .string("policy.max-gpus-per-job") && $0["severity"] == .string("warning") }, "\(warnings)")
                }
                let state = try #require(try await harness.store.revisions.currentDesiredState())
                let policy = try #require(state.declarations.first { $0.kind == "Policy" })
                #expect(policy.identity == "gpu-budget")
                #expect(policy.document.contains("\"max_gpus_per_job\":4"), "\(policy.document)")
            }
        }
    }

    @Test func sourceSyncRefusesARevisionBreakingAnErrorPolicyAndSaysWhy() async throws {
        let directory = try SourceTempDirectory("policy-source")
        for (path, text) in Bundles.small(prefix: "synced") + [Self.budget(severity: "error")] { try directory.write(path, text) }
        let source = DirectorySource(path: directory.path)
        try await AdminHarness.with(source: source) { harness in
            let sync = SourceSync(source: source, store: harness.store, logger: AdminHarness.quietLogger)
            let outcome = try await sync.sync(pull: false)
            guard case .refused = outcome else { Issue.record("expected a refusal, got \(outcome)"); return }
            #expect(try await harness.store.revisions.current() == nil)
            #expect(try await harness.store.count("revisions") == 0)
            let events = try await harness.store.events.page(limit: 10, before: nil, object: nil).events
            let refused = try #require(events.first { $0.draft.action == "revision.refused" })
            let message = refused.draft.message ?? ""
            #expect(message.contains("1 error breaks policy gpu-budget"), "\(message)")
            #expect(message.contains("policy.max-gpus-per-job"), "\(message)")

            // Within budget, the same source publishes, policy included.
            try directory.write("policies.yaml", Self.budget(severity: "error").1.replacingOccurrences(of: "max_gpus_per_job: 4", with: "max_gpus_per_job: 8"))
            #expect(try await sync.sync(pull: false) == .published(1))
            let state = try #require(try await harness.store.revisions.currentDesiredState())
            #expect(state.declarations.contains { $0.kind == "Policy" && $0.identity == "gpu-budget" })
        }
    }
}
