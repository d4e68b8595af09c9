import Planning
import TestSupport
import Declarations
import Foundation
import Reconciler
import Testing
import WandbAPI
import WandbSandbox

/// `launchq plan` and `launchq apply` as processes against an in-process sandbox: exit statuses and saved plans.
@Suite("launchq plan and apply commands, end to end", .serialized)
struct CommandLineEndToEnd {
    @Test("plan exits 2 with changes, 0 without, 1 for refusals, invalid declarations and a rejected API key", .timeLimit(.minutes(5)))
    func planExitStatuses() async throws {
        try await EndToEnd.with { sandbox in
            let changes = try await LaunchqCLI.run(["plan", "examples"], sandbox: sandbox)
            #expect(changes.status == 2, "\(changes.both)")
            #expect(changes.output.contains("Plan: 13 to create, 0 to update, 0 to delete."), "\(changes.output)")
            #expect(await sandbox.server.counters().mutations == 0, "plan must not write")

            // Without a terminal and without --auto-approve, apply refuses and writes nothing.
            let unapproved = try await LaunchqCLI.run(["apply", "examples"], sandbox: sandbox)
            #expect(unapproved.status == 1 && unapproved.errors.contains("--auto-approve"), "\(unapproved.both)")
            #expect(await sandbox.server.counters().mutations == 0, "apply without approval must not write")

            let apply = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"], sandbox: sandbox)
            #expect(apply.status == 0, "\(apply.both)")

            let none = try await LaunchqCLI.run(["plan", "examples", "--format", "json"], sandbox: sandbox)
            #expect(none.status == 0, "\(none.both)")
            let saved = try JSONDecoder().decode(Plan.self, from: Data(none.output.utf8))
            #expect(saved.steps.isEmpty)

            let folder = try Repository.temporaryFolder("launchq-plan")
            defer { try? FileManager.default.removeItem(at: folder) }
            // A queue in an entity that neither exists nor is declared: refused, exit 1.
            try """
                apiVersion: launchq/v1
                kind: RunQueue
                entity: nobody-owns-this
                name: cpu
                resource_type: local-process
                resource_config: {}
                """.write(to: folder.appendingPathComponent("refused.yaml"), atomically: true, encoding: .utf8)
            let refused = try await LaunchqCLI.run(["plan", folder.path], sandbox: sandbox)
            #expect(refused.status == 1, "\(refused.both)")
            #expect(refused.output.contains("! RunQueue nobody-owns-this/cpu"), "\(refused.output)")

            try "apiVersion: launchq/v1\nkind: RunQueue\nentity: ml-platform\n".write(
                to: folder.appendingPathComponent("refused.yaml"), atomically: true, encoding: .utf8)
            let invalid = try await LaunchqCLI.run(["plan", folder.path], sandbox: sandbox)
            #expect(invalid.status == 1, "\(invalid.both)")
            #expect(invalid.both.contains("refused.yaml:1:1") && invalid.both.contains("missing required field \"name\""), "\(invalid.both)")

            // A key W&B does not know: 401, not retried, exit 1, and the key is not printed.
            var wrongKey = LaunchqCLI.environment(sandbox)
            let unknownKey = TestSandbox.randomKey()
            wrongKey["WANDB_API_KEY"] = unknownKey
            let denied = try await ChildProcess.run(
                LaunchqBinary.path, arguments: ["plan", "examples"], environment: wrongKey, workingDirectory: Repository.root.path,
                timeout: .seconds(60))
            #expect(denied.status == 1, "\(denied.both)")
            #expect(!denied.both.contains(unknownKey), "the API key must not be printed: \(denied.both)")
        }
    }

    @Test("apply --plan refuses a plan made stale by a change on W&B, and applies a fresh one", .timeLimit(.minutes(5)))
    func stalePlanRefused() async throws {
        try await EndToEnd.with { sandbox in
            let folder = try Repository.temporaryFolder("launchq-saved-plan")
            defer { try? FileManager.default.removeItem(at: folder) }
            let planPath = folder.appendingPathComponent("plan.json").path

            let planned = try await LaunchqCLI.run(["plan", "examples", "--out", planPath], sandbox: sandbox)
            #expect(planned.status == 2, "\(planned.both)")
            // --out where nothing can be written: exit 1 naming the path, and no partial file left behind.
            let unwritable = folder.appendingPathComponent("missing/plan.json").path
            let unsaved = try await LaunchqCLI.run(["plan", "examples", "--out", unwritable], sandbox: sandbox)
            #expect(unsaved.status == 1 && unsaved.errors.contains("cannot save the plan at \(unwritable)"), "\(unsaved.both)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"])
            // W&B changes after the plan was saved: someone creates one of the declared users.
            _ = try await sandbox.client.createUser(email: "alice@example.com", admin: true)

            await sandbox.server.resetCounters()
            let stale = try await LaunchqCLI.run(["apply", "--plan", planPath, "--auto-approve"], sandbox: sandbox)
            #expect(stale.status == 1, "\(stale.both)")
            #expect(stale.errors.contains("stale"), "\(stale.both)")
            #expect(await sandbox.server.counters().mutations == 0, "a stale plan must not write anything")

            let fresh = try await LaunchqCLI.run(["plan", "examples", "--out", planPath], sandbox: sandbox)
            #expect(fresh.status == 2 && fresh.output.contains("Plan: 12 to create"), "\(fresh.both)")
            let applied = try await LaunchqCLI.run(["apply", "--plan", planPath, "--auto-approve"], sandbox: sandbox)
            #expect(applied.status == 0, "\(applied.both)")
            let after = try await LaunchqCLI.run(["plan", "examples"], sandbox: sandbox)
            #expect(after.status == 0, "\(after.both)")
        }
    }
}
