import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport
import WandbModel
import WandbSandbox
import WandbAPI

/// Pushed revisions reach W&B (the sandbox over HTTP) through the scheduler, and the API shows it.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct ReconcileEndToEndTests {
    @Test func aPushedRevisionBecomesReadyObjectsOnWandb() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await harness.waitForLeadership()
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "e2e"))
                ) { #expect($0.status == .created) }

                // The push triggers a run; wait=true answers when a run that saw the revision has finished.
                try await client.execute(uri: "/v1/reconcile?wait=true", method: .post, headers: AdminHarness.headers(harness.adminToken)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let run = try AdminHarness.json(response.body)["run"]
                    #expect(run?["outcome"] == .string("succeeded"))
                    #expect(run?["revision"] == .integer(1))
                }
                try await client.execute(uri: "/v1/objects", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    let objects = try AdminHarness.json(response.body)["objects"]?.array ?? []
                    let states = Dictionary(uniqueKeysWithValues: objects.map { ("\($0["kind"]!.string!) \($0["id"]!.string!)", $0["state"]!.string!) })
                    #expect(states["RunQueue e2e/gpu"] == "ready")
                    #expect(states["RunQueue e2e/local"] == "ready")
                    #expect(states["Team e2e"] == "ready")
                    #expect(states["User e2e-lead@example.com"] == "ready")
                    #expect(states["Project e2e/experiments"] == "ready")
                    #expect(!states.values.contains { $0 != "ready" }, "\(states)")
                }

                // Read back from W&B by the client, not through launchq's own records.
                let queues = try await harness.client.runQueues(inEntities: ["e2e"])["e2e"] ?? []
                let byName = Dictionary(uniqueKeysWithValues: queues.map { ($0.name, $0) })
                #expect(byName["gpu"]?.resourceType == "kubernetes")
                #expect(byName["local"]?.resourceType == "local-container")
                #expect(byName["local"]?.config == .object(["env": .array([.string("A=1")])]))

                // One object's page: status, desired declaration, events.
                try await client.execute(uri: "/v1/objects/RunQueue/e2e/gpu", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let object = try AdminHarness.json(response.body)
                    #expect(object["status"]?["state"] == .string("ready"))
                    #expect(object["desired"]?["declaration"]?["resource_type"] == .string("kubernetes"))
                    #expect(object["status"]?["wandbId"] == .string(byName["gpu"]?.id ?? "?"))
                    #expect(object["observed"]?["resource_type"] == .string("kubernetes"))
                    #expect((object["events"]?.array ?? []).contains { $0["outcome"] == .string("succeeded") })
                }

                // Percent-encoded identities are decoded (an identity may hold any character).
                try await client.execute(uri: "/v1/objects/RunQueue/e2e%2Flocal", method: .get, headers: AdminHarness.headers(harness.viewerToken)) {
                    (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["id"] == .string("e2e/local"))
                }
                try await client.execute(uri: "/v1/objects/User/e2e-lead%40example.com", method: .get, headers: AdminHarness.headers(harness.viewerToken)) {
                    #expect($0.status == .ok)
                }

                // A second run changes nothing on W&B.
                await harness.sandbox.resetCounters()
                try await client.execute(uri: "/v1/reconcile?wait=true", method: .post, headers: AdminHarness.headers(harness.adminToken)) { (response: TestResponse) async throws in
                    let run = try AdminHarness.json(response.body)["run"]
                    #expect(run?["outcome"] == .string("succeeded"))
                    #expect(run?["succeeded"] == .integer(0))
                    #expect(run?["plan"] == .string("Plan: 0 to create, 0 to update, 0 to delete."))
                }
                #expect(await harness.sandbox.counters().mutations == 0)

                try await client.execute(uri: "/v1/plan", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["hasChanges"] == .bool(false))
                }
                try await client.execute(uri: "/v1/events?limit=5", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    let page = try AdminHarness.json(response.body)
                    #expect(page["events"]?.array?.count == 5)
                    #expect(page["nextCursor"]?.integerValue != nil)
                }
                try await client.execute(uri: "/metrics", method: .get) { (response: TestResponse) async throws in
                    let text = String(buffer: response.body)
                    #expect(text.contains("launchq_lease_held 1"))
                    #expect(text.contains(#"launchq_reconcile_steps_total{action="create",outcome="succeeded"}"#))
                    #expect(text.contains(#"launchq_wandb_requests_total{operation="#))
                }
            }
        }
    }

    @Test func suspendedRevisionsWaitForResumeButExplicitRequestsRun() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await harness.waitForLeadership()
                try await client.execute(uri: "/v1/suspend", method: .post, headers: AdminHarness.headers(harness.adminToken)) { (response: TestResponse) async throws in
                    #expect(try AdminHarness.json(response.body)["suspended"] == .bool(true))
                }
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "*"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "paused"))
                ) { #expect($0.status == .created) }
                // Three revision polls later, still nothing written.
                try await Task.sleep(for: .milliseconds(700))
                #expect(try await harness.store.objects.list().isEmpty)
                #expect(await harness.sandbox.counters().mutations == 0)

                // An explicit request for one object runs even while suspended, and only touches that object.
                try await client.execute(
                    uri: "/v1/reconcile?wait=true&kind=User&id=paused-lead@example.com", method: .post, headers: AdminHarness.headers(harness.adminToken)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["run"]?["succeeded"] == .integer(1))
                }
                #expect(try await harness.store.objects.status(of: ObjectKey(kind: "User", identity: "paused-lead@example.com"))?.state == .ready)
                #expect(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "paused/gpu"))?.state != .ready)

                // Resume: the revision poll notices the unreconciled revision.
                try await client.execute(uri: "/v1/resume", method: .post, headers: AdminHarness.headers(harness.adminToken)) { (response: TestResponse) async throws in
                    #expect(try AdminHarness.json(response.body)["suspended"] == .bool(false))
                }
                let deadline = ContinuousClock.now + .seconds(20)
                while try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "paused/gpu"))?.state != .ready {
                    try #require(ContinuousClock.now < deadline, "the revision was not reconciled after resume")
                    try await Task.sleep(for: .milliseconds(50))
                }
                let events = try await harness.store.events.page(limit: 100, before: nil, object: nil).events.map(\.draft.action)
                #expect(events.contains("reconcile.suspend") && events.contains("reconcile.resume"))
            }
        }
    }
}
