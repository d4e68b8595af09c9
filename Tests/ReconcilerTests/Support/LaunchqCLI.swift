import TestSupport
import Foundation
import Testing
import WandbSandbox

/// The built `launchq` binary (TestSupport's ``LaunchqBinary``), run against a sandbox.
enum LaunchqCLI {
    /// The environment for a run against `sandbox`: only its W&B settings, no database unless `--database-url`.
    static func environment(_ sandbox: EndToEnd) -> [String: String] {
        var environment = Repository.environment.filter {
            !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL"
        }
        environment["WANDB_BASE_URL"] = sandbox.server.baseURL
        environment["WANDB_API_KEY"] = sandbox.adminKey
        return environment
    }

    /// Starts `launchq ARGUMENTS` (for tests that kill it midway).
    static func start(_ arguments: [String], sandbox: EndToEnd) throws -> ChildProcess {
        return try ChildProcess(try LaunchqBinary.require(), arguments: arguments, environment: environment(sandbox), workingDirectory: Repository.root.path)
    }

    /// Runs `launchq ARGUMENTS` to the end.
    static func run(_ arguments: [String], sandbox: EndToEnd, timeout: Duration = .seconds(120)) async throws -> ChildProcess.Result {
        try await start(arguments, sandbox: sandbox).finish(timeout: timeout)
    }
}
