import Foundation
import JSON
import Store
import Testing
import TestSupport

/// The README's Commands table says which exit statuses each command has; the built binary is run here into every
/// one of them, command by command, and the statuses seen must be exactly the documented ones.
@Suite("README exit-code table, command by command", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ExitCodeTableTests {
    /// The commands that run until they are stopped (their row says so): covered by the serve and dev tests.
    static let longRunning: Set<String> = ["serve", "dev", "sandbox"]

    /// Command name → the exit statuses the README's Commands table gives it (the numbers in its last column).
    static func documented() throws -> [String: Set<Int32>] {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        var table: [String: Set<Int32>] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| `launchq ") {
            let cells = line.replacingOccurrences(of: "\\|", with: "¦").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3 else { continue }
            let name = String(cells[0].dropFirst("`launchq ".count).prefix { $0.isLetter })
            guard !longRunning.contains(name) else { continue }
            let numbers = cells[2].split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) }
            table[name, default: []].formUnion(numbers)
        }
        return table
    }

    /// The exit statuses seen so far, by command.
    final class Seen: @unchecked Sendable {
        var statuses: [String: Set<Int32>] = [:]

        /// Expects `result` to have exited `status` and records it for `command`.
        func expect(
            _ command: String, _ result: ChildProcess.Result, _ status: Int32, _ why: String, sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(result.status == status, "launchq \(command) (\(why)): \(result.both.suffix(2000))", sourceLocation: sourceLocation)
            if result.status == status { statuses[command, default: []].insert(status) }
        }
    }

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            try LaunchqBinary.require(), arguments: arguments, environment: environment, workingDirectory: Repository.root.path, timeout: .seconds(120))
    }

    /// Without any W&B, database or launchq setting from the test's own environment.
    static var cleanEnvironment: [String: String] {
        Repository.environment.filter { !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
    }

    @Test("every finite command exits with exactly the statuses its README row documents", .timeLimit(.minutes(6)))
    func everyDocumentedStatus() async throws {
        let documented = try Self.documented()
        let exercised: Set<String> = ["validate", "render", "schema", "plan", "apply", "import", "migrate", "token"]
        #expect(Set(documented.keys).isSuperset(of: exercised), "every command exercised here has a README row: \(documented)")
        let seen = Seen()
        let folder = try Repository.temporaryFolder("launchq-exit-codes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let invalid = folder.appendingPathComponent("invalid")
        try FileManager.default.createDirectory(at: invalid, withIntermediateDirectories: true)
        try "apiVersion: launchq/v1\nkind: RunQueue\nentity: ml-platform\n".write(
            to: invalid.appendingPathComponent("queue.yaml"), atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("no-such-folder").path
        let offline = Self.cleanEnvironment

        // Offline commands.
        seen.expect("validate", try await Self.run(["validate", "examples"], offline), 0, "valid")
        seen.expect("validate", try await Self.run(["validate", invalid.path], offline), 1, "invalid")
        seen.expect("validate", try await Self.run(["validate", missing], offline), 2, "unreadable path")
        let queue = "examples/queues/a100-training.yaml"
        seen.expect("render", try await Self.run(["render", queue, "--set", "gpus=4"], offline), 0, "good values")
        seen.expect("render", try await Self.run(["render", queue, "--set", "gpus=banana"], offline), 1, "a bad value")
        seen.expect("schema", try await Self.run(["schema"], offline), 0, "always")

        // Settings errors are 1 (not ArgumentParser's usage status 64): no W&B server configured.
        for command in [["plan", "examples"], ["apply", "examples", "--auto-approve"], ["import", "--entity", "ml-platform", "--out", folder.path + "/x"]] {
            let result = try await Self.run(command, offline)
            seen.expect(command[0], result, 1, "no W&B server configured")
            #expect(result.errors.contains("WANDB_BASE_URL"), "\(result.both)")
        }

        // A bad setting in the environment is 1 too, for any command (checked before the command runs).
        var loud = offline
        loud["LAUNCHQ_LOG_LEVEL"] = "loud"
        let badLevel = try await Self.run(["schema"], loud)
        #expect(badLevel.status == 1 && badLevel.errors.contains("LAUNCHQ_LOG_LEVEL must be one of"), "\(badLevel.both)")

        // Against the W&B sandbox.
        try await EndToEnd.with { sandbox in
            let wandb = LaunchqCLI.environment(sandbox)
            var badCap = wandb
            badCap["LAUNCHQ_MAX_DELETIONS"] = "-1"
            let capped = try await Self.run(["plan", "examples"], badCap)
            seen.expect("plan", capped, 1, "a bad LAUNCHQ_MAX_DELETIONS")
            #expect(capped.errors.contains("LAUNCHQ_MAX_DELETIONS") && !capped.errors.contains("Usage:"), "\(capped.both)")
            seen.expect("plan", try await Self.run(["plan", "examples"], wandb), 2, "changes")
            seen.expect("plan", try await Self.run(["plan", missing], wandb), 1, "an unreadable path is an error, not 'changes'")
            seen.expect("plan", try await Self.run(["plan", invalid.path], wandb), 1, "invalid declarations")
            let applied = try await Self.run(["apply", "examples", "--auto-approve", "--format", "json"], wandb)
            seen.expect("apply", applied, 0, "applied")
            let document = try JSONValue(parsing: applied.output)
            #expect(document["formatVersion"]?.int == 1 && document["ok"]?.bool == true && document["ending"]?.string == "completed", "\(applied.output)")
            let steps = document["steps"]?.array ?? []
            #expect(steps.count == 13 && steps.allSatisfy { $0["status"]?.string == "succeeded" }, "\(applied.output)")
            #expect(document["counts"]?["succeeded"]?.int == 13 && document["plan"]?["formatVersion"]?.int == 2, "\(applied.output)")
            seen.expect("plan", try await Self.run(["plan", "examples"], wandb), 0, "no changes")
            seen.expect("apply", try await Self.run(["apply", "--plan", missing, "--auto-approve"], wandb), 1, "an unreadable saved plan")
            seen.expect("import", try await Self.run(["import", "--entity", "ml-platform", "--out", folder.path + "/adopted"], wandb), 0, "written")
        }

        // Against PostgreSQL.
        try await TestDatabase.withFreshDatabase(migrate: false) { _, database in
            var environment = offline
            environment["DATABASE_URL"] = TestDatabase.url(of: database)
            seen.expect("migrate", try await Self.run(["migrate"], environment), 0, "migrated")
            seen.expect("token", try await Self.run(["token", "create", "--name", "ci", "--role", "viewer"], environment), 0, "created")
            let list = try await Self.run(["token", "list", "--format", "json"], environment)
            seen.expect("token", list, 0, "listed")
            let tokens = try JSONValue(parsing: list.output)["tokens"]?.array ?? []
            #expect(tokens.count == 1 && tokens.first?["name"]?.string == "ci" && tokens.first?["role"]?.string == "viewer", "\(list.output)")
            #expect(tokens.first?["status"]?.string == "active" && tokens.first?["createdAt"]?.string?.hasSuffix("Z") == true, "\(list.output)")
            seen.expect("token", try await Self.run(["token", "revoke", "nobody"], environment), 1, "no such token")
        }
        var unreachable = offline
        unreachable["DATABASE_URL"] = "postgres://postgres@127.0.0.1:\(try RefusingPort.make())/postgres?sslmode=disable"
        seen.expect("migrate", try await Self.run(["migrate"], unreachable), 1, "database unreachable")

        #expect(Set(seen.statuses.keys) == exercised, "\(seen.statuses)")
        #expect(seen.statuses == documented.filter { exercised.contains($0.key) }, "seen \(seen.statuses), documented \(documented)")
    }

    @Test("a command line that does not parse exits 64, for every command, as the README says")
    func usageErrorsExit64() async throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("exits 64"), "the README documents status 64")
        let commands = try Self.documented().keys.sorted().map { $0 == "token" ? ["token", "list"] : [$0] } + Self.longRunning.sorted().map { [$0] }
        for command in commands {
            let result = try await Self.run(command + ["--no-such-flag"], Self.cleanEnvironment)
            #expect(result.status == 64 && result.errors.contains("Usage: launchq"), "launchq \(command.joined(separator: " ")): \(result.both.suffix(1000))")
        }
    }

    @Test("shell completion scripts are generated for bash, zsh and fish")
    func completionScripts() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await Self.run(["--generate-completion-script", shell], Self.cleanEnvironment)
            #expect(result.status == 0 && result.output.contains("launchq") && result.output.contains("validate"), "\(shell): \(result.both.suffix(500))")
        }
    }
}
