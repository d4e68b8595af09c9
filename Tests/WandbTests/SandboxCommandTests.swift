import Foundation
import Testing

/// `launchq sandbox` as a process: it prints its address, serves, and on SIGTERM stops cleanly (exit 0) with
/// its state saved. Uses the `launchq` executable that `swift build --build-tests` builds next to the tests.
@Suite("Sandbox command")
struct SandboxCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var executable: String {
        Bundle.main.bundleURL.appendingPathComponent("launchq").path
    }
    static var candidates: [String] {
        [executable, repositoryRoot.appendingPathComponent(".build/debug/launchq").path]
    }
    static var found: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }

    @Test(
        "serves, then saves its state and exits 0 on SIGTERM; bad flags exit non-zero",
        .enabled(if: found != nil || ProcessInfo.processInfo.environment["CI"] == "true", "launchq is not built: run swift build"),
        .timeLimit(.minutes(2)))
    func gracefulShutdown() async throws {
        let launchq = try #require(Self.found, "no launchq executable at \(Self.candidates)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let statePath = directory.appendingPathComponent("state.json").path
        let key = SandboxHarness.randomKey()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: launchq)
        process.arguments = ["sandbox", "--listen", "127.0.0.1:0", "--state", statePath]
        process.environment = ["WANDB_API_KEY": key, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The address is printed on standard output once the server listens.
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(printed.split(separator: "\n").first.map(String.init), "no output from launchq sandbox")
        let url = try #require(line.components(separatedBy: " ").last, "\(line)")
        #expect(line.hasPrefix("W&B sandbox listening on http://127.0.0.1:"))

        let answer = try await SandboxHarness.send(
            .post, url: url + "/graphql",
            body: Array(#"{"query": "mutation { createTeam(input: {teamName: \"from-cli\"}) { entity { name } } }"}"#.utf8),
            authorization: SandboxHarness.basic(key))
        #expect(answer.status == 200)
        #expect(jsonPath(answer.data, "createTeam", "entity", "name") as? String == "from-cli")

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOfFile: statePath, encoding: .utf8).contains("\"from-cli\""))

        let bad = Process()
        bad.executableURL = URL(fileURLWithPath: launchq)
        bad.arguments = ["sandbox", "--faults", "500:2"]
        bad.environment = ["WANDB_API_KEY": key]
        bad.standardOutput = FileHandle.nullDevice
        bad.standardError = FileHandle.nullDevice
        try bad.run()
        bad.waitUntilExit()
        #expect(bad.terminationStatus != 0)
    }
}
