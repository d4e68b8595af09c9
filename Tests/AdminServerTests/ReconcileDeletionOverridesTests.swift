import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Planning
import Store
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// `POST /v1/reconcile?allowNonemptyDelete=true&maxDeletions=N`: serve's deletion guards relaxed for the requested
/// run only, as `launchq apply --allow-nonempty-delete --max-deletions N` relaxes them for one apply. The sandbox
/// deletes queues with their items when asked, so only launchq's own guards keep them.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct ReconcileDeletionOverridesTests {
    static func reconcile(_ client: some TestClientProtocol, _ harness: AdminHarness, _ query: String) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await client.execute(uri: "/v1/reconcile?\(query)", method: .post, headers: AdminHarness.headers(harness.adminToken)) { response in
            (response.status, try? AdminHarness.json(response.body))
        }
    }

    static func queueNames(_ harness: AdminHarness) async throws -> Set<String> {
        Set((try await harness.client.runQueues(inEntities: ["relax"])["relax"] ?? []).map(\.name))
    }

    @Test(.timeLimit(.minutes(4)))
    func aRequestRelaxesTheDeletionGuardsForItsOwnRunOnly() async throws {
        try await AdminHarness.with(configure: { $0.planner.prune = true }, sandbox: { $0.deletesQueuesWithItems = true }) { harness in
            try await harness.application.test(.router) { client in
                try await harness.waitForLeadership()
                let files = Bundles.small(prefix: "relax")
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(files)
                ) { #expect($0.status == .created) }
                let (status, first) = try await Self.reconcile(client, harness, "wait=true")
                #expect(status == .ok && first?["run"]?["outcome"] == .string("succeeded"), "\(String(describing: first))")
                #expect(try await Self.queueNames(harness) == ["gpu", "local"])

                // Two items wait on `local` (pushed as the SDK's launch_add does); then its declaration goes away.
                for _ in 0..<2 {
                    _ = try await harness.client.execute(
                        QueueBacklogTests.pushByName,
                        variables: [
                            "entityName": .string("relax"), "projectName": .string(Operations.launchProject), "queueName": .string("local"),
                            "runSpec": .string(#"{"docker_image": "python"}"#),
                        ])
                }
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "1"]),
                    body: AdminHarness.bundle(files.filter { $0.0 != "queues/local.json" })
                ) { #expect($0.status == .created) }

                // The service's guards: a queue with items is not deleted.
                _ = try await Self.reconcile(client, harness, "wait=true")
                #expect(try await Self.queueNames(harness) == ["gpu", "local"], "a queue with items was deleted")

                // Bad overrides are refused before anything is recorded.
                let (bad, refusal) = try await Self.reconcile(client, harness, "maxDeletions=some")
                #expect(bad == .badRequest, "\(String(describing: refusal))")
                #expect(refusal?["error"]?["message"]?.string?.contains("maxDeletions") == true)

                // Items allowed, but a cap of 0 for this run: still nothing deleted.
                let (_, capped) = try await Self.reconcile(client, harness, "wait=true&allowNonemptyDelete=true&maxDeletions=0")
                #expect(capped?["request"]?["maxDeletions"] == .integer(0), "\(String(describing: capped))")
                #expect(try await Self.queueNames(harness) == ["gpu", "local"], "the run's cap of 0 was not applied")

                // Items allowed for this run: the queue goes, with its items.
                let (allowedStatus, allowed) = try await Self.reconcile(client, harness, "wait=true&allowNonemptyDelete=true")
                #expect(allowedStatus == .ok, "\(String(describing: allowed))")
                #expect(allowed?["request"]?["allowNonemptyDelete"] == .bool(true))
                #expect(allowed?["run"]?["outcome"] == .string("succeeded"), "\(String(describing: allowed))")
                #expect(try await Self.queueNames(harness) == ["gpu"])

                // The override was the request's, not the service's: the recorded event says what was relaxed.
                let events = try await harness.store.events.page(limit: 200, before: nil, object: nil).events
                #expect(events.contains { $0.draft.action == "reconcile.request" && $0.draft.message == "for this run: allowNonemptyDelete" })
            }
        }
    }
}
