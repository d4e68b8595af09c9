import Foundation
import Testing
import TestSupport
import WandbSandbox

/// `--state FILE`: the state survives a restart, is written atomically, and a bad file is refused.
@Suite("Sandbox persistence")
struct SandboxPersistenceTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static let read = """
        query Read {
            entity(name: "ml") { name members { username admin } }
            project(name: "model-registry", entityName: "ml") { id runQueues { id name defaultResourceConfig { id config templateVariables { name schema } } } }
            viewer { username apiKeys { edges { node { name } } } }
        }
        """

    @Test("teams, queues, configs and minted keys survive a restart; the admin key keeps working")
    func survivesRestart() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        let key = TestSandbox.randomKey()

        func start() async throws -> (SandboxServer, TestSandbox) {
            var configuration = SandboxConfiguration(adminAPIKey: key)
            configuration.statePath = path
            let server = try await SandboxServer.start(configuration, logger: TestSandbox.quietLogger)
            return (server, TestSandbox(server: server, adminKey: key))
        }

        let (first, sandbox) = try await start()
        _ = try await sandbox.graphql("mutation { createTeam(input: {teamName: \"ml\"}) { entity { id } } }")
        _ = try await sandbox.graphql(#"mutation { upsertModel(input: {entityName: "ml", name: "model-registry"}) { inserted } }"#)
        let upsert = try await sandbox.graphql(#"""
            mutation { upsertRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: "q", resourceType: "kubernetes",
              resourceConfig: "{\"resource_args\":{\"kubernetes\":{\"n\":1}}}", templateVariables: "{\"n\":{\"schema\":{\"type\":\"integer\"}}}"}) { success } }
            """#)
        #expect(upsert.errorMessages.isEmpty, "\(upsert.text)")
        let before = try await sandbox.graphql(Self.read)
        try await first.stop()

        // Every change was written through: the file holds it even before stop(), and no temp file is left.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files == ["state.json"])

        let (second, restarted) = try await start()
        let after = try await restarted.graphql(Self.read)
        #expect(after.text == before.text)
        #expect(jsonPath(after.data, "project", "runQueues", 0, "name") as? String == "q")
        // New records do not reuse ids.
        let team = try await restarted.graphql("mutation { createTeam(input: {teamName: \"ml2\"}) { entity { id } } }")
        let teamID = try #require(jsonPath(team.data, "createTeam", "entity", "id") as? String)
        #expect(!before.text.contains(teamID))
        try await second.stop()
    }

    @Test("each mutation is saved before it is answered (a crash loses nothing acknowledged)")
    func writeThrough() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        try await TestSandbox.with({ $0.statePath = path }) { sandbox in
            _ = try await sandbox.graphql("mutation { createTeam(input: {teamName: \"durable\"}) { entity { id } } }")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\"durable\""))
            // The admin key is in the file (it is the sandbox's own throwaway key) but nothing else leaks.
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        }
    }

    @Test("concurrent mutations are all on disk when answered (group commit)")
    func concurrentWrites() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        try await TestSandbox.with({ $0.statePath = path }) { sandbox in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await sandbox.graphql("mutation { createTeam(input: {teamName: \"team-\(index)\"}) { entity { id } } }").status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            let names = Set(((saved?["entities"] as? [String: [String: Any]]) ?? [:]).values.compactMap { $0["name"] as? String })
            #expect(names.isSuperset(of: (0..<40).map { "team-\($0)" }))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.json"])
        }
    }

    @Test("an unreadable state file stops start-up with a clear error")
    func corruptFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        try Data("{\"users\": ".utf8).write(to: URL(fileURLWithPath: path))
        var configuration = SandboxConfiguration(adminAPIKey: TestSandbox.randomKey())
        configuration.statePath = path
        await #expect {
            _ = try await SandboxServer.start(configuration, logger: TestSandbox.quietLogger)
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.code == .invalidState && error.message.contains(path)
        }
    }

    @Test("a port in use is reported by start")
    func portInUse() async throws {
        try await TestSandbox.with { sandbox in
            var configuration = SandboxConfiguration(adminAPIKey: TestSandbox.randomKey())
            configuration.port = sandbox.server.port
            await #expect(throws: (any Error).self) {
                let server = try await SandboxServer.start(configuration, logger: TestSandbox.quietLogger)
                try await server.stop()
            }
        }
    }
}
