import Foundation
import Testing

/// The official W&B Python SDK (`wandb==0.31.0`) in the venv `scripts/wandb-venv` makes: the one place that finds it.
///
/// `LAUNCHQ_WANDB_PYTHON` when set, else `.venv-wandb/bin/python` in the repository. Locally a missing venv skips the
/// tests that need it (with ``skipReason``); under `CI=true` they run, ``require()`` creates the venv, and failing
/// that they fail.
public enum WandbSDKVenv {
    public static var pythonPath: String {
        Repository.environment["LAUNCHQ_WANDB_PYTHON"] ?? Repository.path(".venv-wandb/bin/python")
    }

    public static var exists: Bool { FileManager.default.isExecutableFile(atPath: pythonPath) }

    /// Run the SDK tests when the venv is there, and always on CI (where a missing venv must fail).
    public static var shouldRun: Bool { exists || Repository.isCI }

    public static let skipReason: Comment = "no wandb SDK venv: run scripts/wandb-venv (or set LAUNCHQ_WANDB_PYTHON)"

    /// Makes sure the SDK can run: creates the venv when it is missing (CI), fails the test when that is impossible.
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        if exists { return }
        let setup = try await ChildProcess.run(
            Repository.path("scripts/wandb-venv"), arguments: [], environment: Repository.environment,
            workingDirectory: Repository.root.path, timeout: .seconds(420))
        try #require(
            setup.status == 0 && exists, "scripts/wandb-venv failed (no python at \(pythonPath)):\n\(setup.both.suffix(3000))",
            sourceLocation: sourceLocation)
    }
}
