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

/// `POST /v1/plan` and `launchq plan --server`: a bundle planned against W&B now, nothing stored.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct PlanPreviewTests {
    /// Rows in the tables a preview must not touch.
    static func stored(_ store: PostgresStore) async throws -> [Int] {
        [try await store.count("revisions"), try await store.count("revision_declarations"), try await store.count("events"),
         try await store.count("objects")]
    }

    @Test func aPreviewAnswersThePlanAndStoresNothing() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let before = try await Self.stored(harness.store)
                try await client.execute(
                    uri: "/v1/plan", method: .post, headers: AdminHarness.headers(harness.viewerToken),
                    body: AdminHarness.bundle(Bundles.small(prefix: "preview"))
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["hasChanges"] == .bool(true))
                    #expect(answer["hasRefusals"] == .bool(false))
                    #expect(answer["declarations"] == .integer(5))
                    #expect(answer["text"]?.string?.contains("preview/gpu") == true, "\(answer)")
                    // The plan as `launchq plan --format json` prints it: it decodes as a plan with a step per object.
                    let steps = answer["plan"]?["steps"]?.array ?? []
                    #expect(steps.count >= 5, "\(answer)")
                    #expect(answer["summary"]?.string?.isEmpty == false)
                }
                // An invalid bundle: 400 with diagnostics, as for a push.
                var broken = Bundles.small(prefix: "preview")
                broken.append(("queues/broken.yaml", "apiVersion: launchq/v1\nkind: RunQueue\nentity: preview\nname: broken\nresource_type: nonsense\n"))
                try await client.execute(
                    uri: "/v1/plan", method: .post, headers: AdminHarness.headers(harness.viewerToken), body: AdminHarness.bundle(broken)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("invalid_bundle"))
                    #expect(error?["details"]?["diagnostics"]?.array?.contains { $0["file"] == .string("queues/broken.yaml") } == true)
                }
                // The path rules of a push apply.
                try await client.execute(
                    uri: "/v1/plan", method: .post, headers: AdminHarness.headers(harness.viewerToken),
                    body: AdminHarness.bundle([("../escape.yaml", "apiVersion: launchq/v1\nkind: User\nemail: a@example.com\n")])
                ) { #expect($0.status == .badRequest) }
                try await client.execute(uri: "/v1/plan", method: .post, body: AdminHarness.bundle(Bundles.small(prefix: "preview"))) {
                    #expect($0.status == .unauthorized)
                }
                #expect(try await Self.stored(harness.store) == before)
                #expect(try await harness.store.revisions.current() == nil)
                let counters = await harness.sandbox.counters()
                #expect(counters.mutations == 0)
                #expect(counters.total > 0, "the preview read W&B")
            }
        }
    }

    /// Writes `files` under a new temporary folder.
    static func folder(_ files: [(String, String)]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lq-plan-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return root
    }

    @Test func planWithServerExitsZeroTwoOrOne() async throws {
        let binary = try LaunchqBinary.require()
        try await AdminHarness.with { harness in
            // W&B already holds "cli": apply it first, in process.
            try await Bundles.publish(Bundles.small(prefix: "cli"), to: harness.store)
            let run = await harness.services.runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(run.outcome == "succeeded", "\(run)")
            let converged = try Self.folder(Bundles.small(prefix: "cli"))
            let changed = try Self.folder(Bundles.small(prefix: "cli-new"))
            let tokens = try Self.folder([("viewer", harness.viewerToken + "\n"), ("wrong", "lq_" + String(repeating: "0", count: 64))])
            defer { for url in [converged, changed, tokens] { try? FileManager.default.removeItem(at: url) } }
            let environment = Repository.environment.filter {
                !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL"
            }
            let revisionsBefore = try await harness.store.count("revisions")
            await harness.sandbox.resetCounters()
            try await harness.application.test(.live) { client in
                let server = "http://127.0.0.1:\(try #require(client.port))"
                func plan(_ folder: URL, token: String, _ extra: [String] = []) async throws -> ChildProcess.Result {
                    let arguments = ["plan", "--server", server, "--token-file", tokens.appendingPathComponent(token).path] + extra + [folder.path]
                    return try await ChildProcess.run(binary, arguments: arguments, environment: environment, timeout: .seconds(120))
                }
                let same = try await plan(converged, token: "viewer")
                #expect(same.status == 0, "\(same.both)")
                let different = try await plan(changed, token: "viewer")
                #expect(different.status == 2, "\(different.both)")
                #expect(different.output.contains("cli-new/gpu"), "\(different.both)")
                let json = try await plan(changed, token: "viewer", ["--format", "json"])
                #expect(json.status == 2, "\(json.both)")
                let printed = try JSONParser.parse(Array(json.output.utf8))
                #expect((printed["steps"]?.array?.count ?? 0) >= 5, "\(json.output)")
                let refused = try await plan(changed, token: "wrong")
                #expect(refused.status == 1, "\(refused.both)")
                #expect(refused.errors.contains("401"), "\(refused.both)")
                for result in [same, different, json, refused] {
                    #expect(!result.both.contains(harness.viewerToken))
                    #expect(!result.both.contains(String(repeating: "0", count: 64)))
                }
            }
            #expect(await harness.sandbox.counters().mutations == 0)
            #expect(try await harness.store.count("revisions") == revisionsBefore)
        }
    }
}
