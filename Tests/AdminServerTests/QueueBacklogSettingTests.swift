import Foundation
import Testing
import TestSupport

/// `serve --queue-backlog true|false` and `LAUNCHQ_QUEUE_BACKLOG`: a value that is neither is refused before serve
/// starts (the built binary; no database, no W&B).
@Suite("serve: the queue backlog setting")
struct QueueBacklogSettingTests {
    /// Without any W&B, database or launchq setting from the test's own environment.
    static var cleanEnvironment: [String: String] {
        Repository.environment.filter { !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
    }

    static func serve(_ arguments: [String], _ environment: [String: String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            try LaunchqBinary.require(), arguments: ["serve"] + arguments, environment: environment, workingDirectory: Repository.root.path,
            timeout: .seconds(120))
    }

    @Test("LAUNCHQ_QUEUE_BACKLOG and --queue-backlog take true or false; anything else is an error naming the setting", .timeLimit(.minutes(2)))
    func values() async throws {
        var environment = Self.cleanEnvironment
        environment["LAUNCHQ_QUEUE_BACKLOG"] = "maybe"
        let badVariable = try await Self.serve([], environment)
        #expect(badVariable.status == 1 && badVariable.errors.contains("LAUNCHQ_QUEUE_BACKLOG must be true or false, got maybe"), "\(badVariable.both)")

        let badFlag = try await Self.serve(["--queue-backlog", "maybe"], Self.cleanEnvironment)
        #expect(badFlag.status == 64 && badFlag.errors.contains("--queue-backlog"), "\(badFlag.both)")

        // Accepted values get past the settings to the first thing serve needs: a database.
        environment["LAUNCHQ_QUEUE_BACKLOG"] = "off"
        for (arguments, environment) in [([], environment), (["--queue-backlog", "false"], Self.cleanEnvironment)] {
            let accepted = try await Self.serve(arguments, environment)
            #expect(accepted.status == 1 && accepted.errors.contains("needs PostgreSQL"), "\(arguments): \(accepted.both)")
            #expect(!accepted.errors.contains("QUEUE_BACKLOG") && !accepted.errors.contains("queue-backlog"), "\(accepted.both)")
        }
    }
}
