import Foundation
import Testing
import TestSupport

/// `launchq sandbox` as a process: it prints its address, serves, and on SIGTERM stops cleanly (exit 0) with
/// its state saved. Uses the `launchq` executable that `swift build --build-tests` builds (TestSupport's
/// ``LaunchqBinary``).
@Suite("Sandbox command")
struct SandboxCommandTests {
    static var found: String? { LaunchqBinary.exists ? LaunchqBinary.path : nil }

    @Test(
        "serves, then saves its state and exits 0 on SIGTERM; bad flags exit non-zero",
        .enabled(if: found != nil || ProcessInfo.processInfo.environment["CI"] == "true", "launchq is not built: run swift build"),
        .timeLimit(.minutes(2)))
    func gracefulShutdown() async throws {
        let launchq = try LaunchqBinary.require()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let statePath = directory.appendingPathComponent("state.json").path
        let key = TestSandbox.randomKey()

        let process = try ChildProcess(
            launchq, arguments: ["sandbox", "--listen", "127.0.0.1:0", "--state", statePath],
            environment: ["WANDB_API_KEY": key, "PATH": "/usr/bin:/bin"])
        defer { process.kill() }

        // The address is printed on standard output once the server listens (port 0: the kernel picked it).
        let line = try await process.waitForOutputLine(startingWith: "", timeout: .seconds(60))
        let url = try #require(line.components(separatedBy: " ").last, "\(line)")
        #expect(line.hasPrefix("W&B sandbox listening on http://127.0.0.1:"))

        let answer = try await TestSandbox.send(
            .post, url: url + "/graphql",
            body: Array(#"{"query": "mutation { createTeam(input: {teamName: \"from-cli\"}) { entity { name } } }"}"#.utf8),
            authorization: TestSandbox.basic(key))
        #expect(answer.status == 200)
        #expect(jsonPath(answer.data, "createTeam", "entity", "name") as? String == "from-cli")

        process.terminate()
        let stopped = await process.finish(timeout: .seconds(60))
        #expect(!stopped.signalled)
        #expect(stopped.status == 0)
        #expect(try String(contentsOfFile: statePath, encoding: .utf8).contains("\"from-cli\""))

        let bad = try await ChildProcess.run(launchq, arguments: ["sandbox", "--faults", "500:2"], environment: ["WANDB_API_KEY": key], timeout: .seconds(60))
        #expect(bad.status != 0)
    }
}
