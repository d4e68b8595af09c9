import Foundation
import Testing
import TestSupport
import WandbSandbox

/// `--wandb-batch-size` / `LAUNCHQ_WANDB_BATCH_SIZE` on the built binary against the sandbox.
@Suite("W&B read batch size on the command line", .serialized)
struct BatchSizeCommandLineTests {
    @Test("plan reads one entity per request with --wandb-batch-size 1, all in one by default; bad sizes are refused", .timeLimit(.minutes(5)))
    func batchSizeFlag() async throws {
        let folder = try Repository.temporaryFolder("launchq-batch-size")
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 0..<3 {
            try """
                apiVersion: launchq/v1
                kind: RunQueue
                entity: batch-team-\(index)
                name: cpu
                resource_type: local-process
                resource_config: {}
                """.write(to: folder.appendingPathComponent("q\(index).yaml"), atomically: true, encoding: .utf8)
        }
        try await EndToEnd.with { sandbox in
            // The teams do not exist: every queue is refused (exit 1), after one read of the three entities.
            let whole = try await LaunchqCLI.run(["plan", folder.path], sandbox: sandbox)
            #expect(whole.status == 1, "\(whole.both)")
            #expect(whole.output.contains("absent or not visible to this API key"), "\(whole.output)")
            #expect(await sandbox.server.counters()["ReadEntities"] == 1)

            await sandbox.server.resetCounters()
            let single = try await LaunchqCLI.run(["plan", folder.path, "--wandb-batch-size", "1"], sandbox: sandbox)
            #expect(single.status == 1, "\(single.both)")
            #expect(await sandbox.server.counters()["ReadEntities"] == 3)

            await sandbox.server.resetCounters()
            var environment = LaunchqCLI.environment(sandbox)
            environment["LAUNCHQ_WANDB_BATCH_SIZE"] = "2"
            let fromEnvironment = try await ChildProcess.run(
                LaunchqBinary.path, arguments: ["plan", folder.path], environment: environment, workingDirectory: Repository.root.path,
                timeout: .seconds(60))
            #expect(fromEnvironment.status == 1, "\(fromEnvironment.both)")
            #expect(await sandbox.server.counters()["ReadEntities"] == 2)

            let zero = try await LaunchqCLI.run(["plan", folder.path, "--wandb-batch-size", "0"], sandbox: sandbox)
            #expect(zero.status != 0 && zero.status != 1 && zero.status != 2, "a usage error: \(zero.both)")
            #expect(zero.errors.contains("--wandb-batch-size must be a whole number from 1 to 100"), "\(zero.both)")
            environment["LAUNCHQ_WANDB_BATCH_SIZE"] = "many"
            let words = try await ChildProcess.run(
                LaunchqBinary.path, arguments: ["plan", folder.path], environment: environment, workingDirectory: Repository.root.path,
                timeout: .seconds(60))
            #expect(words.status != 0 && words.status != 2, "\(words.both)")
            #expect(words.errors.contains("LAUNCHQ_WANDB_BATCH_SIZE must be a whole number from 1 to 100"), "\(words.both)")
        }
    }
}
