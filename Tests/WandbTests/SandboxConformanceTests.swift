import Foundation
import Testing
import TestSupport
import WandbSandbox

/// The official W&B Python SDK (`wandb==0.31.0`) drives the sandbox through every administration call the
/// project relies on (Conformance/sdk_conformance.py). Needs the venv from `scripts/wandb-venv`: found through
/// `LAUNCHQ_WANDB_PYTHON` or `.venv-wandb/bin/python`; under `CI=true` a missing venv is created and, failing
/// that, the test fails.
@Suite("Sandbox SDK Conformance", .serialized)
struct SandboxConformanceTests {
    @Test(
        "the wandb 0.31.0 SDK reads back what it wrote, and errors surface as SDK exceptions",
        .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason),
        .timeLimit(.minutes(10)))
    func sdkConformance() async throws {
        // Only creates anything under CI=true (locally a missing venv skips the test): fails if that is impossible.
        try await WandbSDKVenv.require()

        // The script deletes a queue that still holds the item it pushed: a sandbox told to delete items with their queue.
        try await TestSandbox.with({ $0.deletesQueuesWithItems = true }) { sandbox in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("wandb-conformance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }

            var environment = Repository.environment.filter { !$0.key.hasPrefix("WANDB_") }
            environment["WANDB_BASE_URL"] = sandbox.server.baseURL
            environment["WANDB_API_KEY"] = sandbox.adminKey
            // Retries only happen on 429/5xx/connection errors, which the script injects once (with Retry-After: 0).
            environment["WANDB_X_GRAPHQL_RETRY_MAX"] = "3"
            environment["WANDB_ERROR_REPORTING"] = "false"
            environment["WANDB_SILENT"] = "true"
            environment["HOME"] = home.path
            environment["WANDB_DIR"] = home.path
            environment["WANDB_CONFIG_DIR"] = home.path
            environment["PYTHONUNBUFFERED"] = "1"

            let script = Repository.path("Tests/WandbTests/Conformance/sdk_conformance.py")
            let result = try await SandboxProcess.run(
                WandbSDKVenv.pythonPath, arguments: [script], environment: environment, workingDirectory: home.path,
                timeout: .seconds(300))
            #expect(result.status == 0, "sdk_conformance.py exited \(result.status):\n\(result.output)")
            #expect(result.output.contains("all checks passed"), "\(result.output)")

            // The SDK's traffic really went through this sandbox, with the operation names wire.md lists.
            let counters = await sandbox.server.counters()
            for operation in [
                "Viewer", "CreateProject", "CreateDefaultResourceConfig", "CreateRunQueue", "UpsertRunQueue",
                "GetRunQueueMetadata", "GetDefaultResourceConfig", "GetRunQueueItems", "DeleteRunQueue", "CreateTeam",
                "GetTeamEntity", "CreateInvite", "DeleteInvite", "CreateServiceAccount", "CreateUserFromAdmin",
                "SearchUsers", "GetProjects", "GetProject", "GenerateApiKey", "DeleteApiKey",
            ] {
                #expect(counters[operation] > 0, "the SDK sent no \(operation): \(counters.requestsByOperation)")
            }
            #expect(counters.mutations > 10)
        }
    }
}

/// Runs a child process with a time limit (TestSupport's ``ChildProcess``: no Swift concurrency thread is blocked
/// while it runs, so the in-process sandbox it talks to keeps answering); standard output then standard error.
enum SandboxProcess {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(
        _ executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil,
        timeout: Duration
    ) async throws -> Result {
        let result = try await ChildProcess.run(
            executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory, timeout: timeout)
        var output = result.output + result.errors
        if result.signalled { output += "\n(killed: ran longer than \(timeout))" }
        return Result(status: result.status, output: output)
    }
}
