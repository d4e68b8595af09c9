import JSON
import TestSupport
import Declarations
import Foundation
import Reconciler
import Testing
import WandbAPI
import WandbSandbox

/// `launchq import` as a process, on queues made by hand with the official wandb SDK (`api.upsert_run_queue`).
@Suite("Import: launchq import command", .serialized)
struct ImportCommandTests {
    /// Runs `launchq ARGUMENTS` against the sandbox with only its W&B settings.
    static func launchq(_ arguments: [String], _ sandbox: EndToEnd) async throws -> ChildProcess.Result {
        try await LaunchqCLI.run(arguments, sandbox: sandbox)
    }

    /// Queues as a team makes them before launchq: through the SDK, with the SDK's argument names.
    static let sdkQueues: [[String: JSONValue]] = [
        [
            "entity": "research", "name": "a100 (shared)", "resource_type": "kubernetes", "prioritization_mode": "V0",
            "resource_config": .object([
                "metadata": .object(["labels": .object(["author": "${author}", "on": "yes"])]),
                "spec": .object(["template": .object(["spec": .object(["containers": .array([.object([
                    "image": "${image_uri}", "args": .array(["--steps", "1e3", "null", ""]),
                    "resources": .object(["limits": .object(["nvidia.com/gpu": "{{gpus}}", "memory": "{{memory}}Gi"])]),
                ])])])])]),
            ]),
            "template_variables": .object([
                "gpus": .object(["description": "GPUs: how many?", "schema": .object(["type": "integer", "default": 1, "minimum": 1, "maximum": 8])]),
                "memory": .object(["schema": .object(["type": "integer", "enum": [16, 32, 64], "default": 32])]),
            ]),
            "external_links": .object(["Grafana": "https://grafana.example.com/d/a100?x=1"]),
        ],
        ["entity": "research", "name": "cpu", "resource_type": "local-container", "resource_config": .object(["env": ["A=1"], "cpus": "2"])],
    ]

    @Test("import writes valid files; plan then shows no changes; existing files need --force", .timeLimit(.minutes(5)))
    func importThenPlan() async throws {
        try await WandbSDKVenv.require()
        try await EndToEnd.with { sandbox in
            _ = try await sandbox.client.createTeam(name: "research")
            try await sandbox.client.upsertProject(name: "papers", entity: "research", description: "Papers: 2026")
            for queue in Self.sdkQueues { try await sandbox.sdkUpsert(queue) }

            let folder = try Repository.temporaryFolder("launchq-import-cli")
            defer { try? FileManager.default.removeItem(at: folder) }
            let out = folder.appendingPathComponent("research").path
            let imported = try await Self.launchq(["import", "--entity", "research", "--out", out], sandbox)
            #expect(imported.status == 0, "\(imported.both)")
            for file in ["team.yaml", "projects/papers.yaml", "queues/a100__shared_.yaml", "queues/cpu.yaml"] {
                #expect(imported.output.contains("wrote \(out)/\(file)"), "\(imported.both)")
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file)")
            }
            #expect(!imported.both.contains(sandbox.adminKey), "the API key must not be printed")

            let validated = try await Self.launchq(["validate", out], sandbox)
            #expect(validated.status == 0, "\(validated.both)")
            let plan = try await Self.launchq(["plan", out], sandbox)
            #expect(plan.status == 0, "plan after import must show no changes:\n\(plan.both)")

            let again = try await Self.launchq(["import", "--entity", "research", "--out", out], sandbox)
            #expect(again.status == 1, "\(again.both)")
            #expect(again.errors.contains("--force"), "\(again.both)")
            let forced = try await Self.launchq(["import", "--entity", "research", "--out", out, "--force"], sandbox)
            #expect(forced.status == 0, "\(forced.both)")

            // A hand-made queue launchq refuses: still written, its diagnostics shown, exit 1.
            try await sandbox.sdkUpsert([
                "entity": "research", "name": "root", "resource_type": "kubernetes",
                "resource_config": .object(["spec": .object(["template": .object(["spec": .object(["hostPID": true])])])]),
            ])
            let refused = try await Self.launchq(["import", "--entity", "research", "--out", out, "--force"], sandbox)
            #expect(refused.status == 1, "\(refused.both)")
            #expect(FileManager.default.fileExists(atPath: "\(out)/queues/root.yaml"))
            #expect(refused.errors.contains("queues/root.yaml") && refused.errors.contains("kubernetes.refused"), "\(refused.both)")
            #expect(refused.errors.contains("do not validate"), "\(refused.both)")

            let unknown = try await Self.launchq(["import", "--entity", "nobody-here", "--out", folder.appendingPathComponent("x").path], sandbox)
            #expect(unknown.status == 1, "\(unknown.both)")
            #expect(unknown.errors.contains("no entity named nobody-here"), "\(unknown.both)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path), "nothing written for an unknown entity")
        }
    }
}
