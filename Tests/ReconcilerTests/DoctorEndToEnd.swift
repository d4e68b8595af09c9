import Foundation
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// `launchq doctor` (the built binary) against the sandbox over HTTP: exit statuses, nothing written, the canary
/// cleaned up, a missing mutation named; and an apply of `examples/` on a server without introspection.
@Suite("launchq doctor, end to end", .serialized)
struct DoctorEndToEnd {
    static func doctor(_ arguments: [String], sandbox: EndToEnd) async throws -> (ChildProcess.Result, DoctorReport?) {
        let result = try await LaunchqCLI.run(["doctor", "--format", "json"] + arguments, sandbox: sandbox)
        return (result, try? JSONDecoder().decode(DoctorReport.self, from: Data(result.output.utf8)))
    }

    @Test("exit 0 against the sandbox; every mutation validated, none run, the state file untouched", .timeLimit(.minutes(5)))
    func compatibleAndReadOnly() async throws {
        let folder = try Repository.temporaryFolder("doctor-state")
        defer { try? FileManager.default.removeItem(at: folder) }
        let statePath = folder.appendingPathComponent("state.json").path
        try await TestSandbox.with({ $0.statePath = statePath }) { testSandbox in
            let sandbox = EndToEnd(sandbox: testSandbox, client: try testSandbox.client(logger: EndToEnd.quietLogger))
            let before = try Data(contentsOf: URL(fileURLWithPath: statePath))
            await sandbox.server.resetCounters()

            let (result, decoded) = try await Self.doctor([], sandbox: sandbox)
            #expect(result.status == 0, "\(result.both)")
            let report = try #require(decoded, "\(result.both)")
            #expect(report.compatible && report.exitCode == 0 && report.reachable)
            #expect(report.user == DoctorReport.User(username: "admin", admin: true))
            let mutations = report.checks.filter { $0.check == "mutation" }
            #expect(Set(mutations.map(\.subject)) == Set(Doctor.mutations.map(\.name)))
            #expect(mutations.count >= 8 && mutations.allSatisfy { $0.status == .ok }, "\(mutations)")
            for check in ["viewer", "entity-read", "batched-read", "user-search"] {
                #expect(report.checks.first { $0.check == check }?.status == .ok, "\(check): \(report.checks)")
            }

            let counters = await sandbox.server.counters()
            #expect(counters.mutations == 0, "no mutation ran: \(counters)")
            #expect(counters.rejectedMutations == Doctor.mutations.count, "\(counters)")
            #expect(counters.introspectionRequests == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: statePath)) == before, "the sandbox saved no change")

            let text = try await LaunchqCLI.run(["doctor"], sandbox: sandbox)
            #expect(text.status == 0, "\(text.both)")
            #expect(text.output.contains("UpsertRunQueue") && text.output.contains("compatible: launchq can work with this server"), "\(text.output)")
        }
    }

    @Test("--canary creates, reads back, plans (no change) and deletes a queue: nothing is left behind", .timeLimit(.minutes(5)))
    func canaryLeavesNothing() async throws {
        try await EndToEnd.with { sandbox in
            _ = try await sandbox.client.createTeam(name: "doctor-team")
            let (result, decoded) = try await Self.doctor(["--canary", "doctor-team"], sandbox: sandbox)
            #expect(result.status == 0, "\(result.both)")
            let report = try #require(decoded, "\(result.both)")
            let canary = report.checks.filter { $0.check == "canary" }
            #expect(canary.map { $0.subject.split(separator: " ")[0] } == ["create", "read", "plan", "delete"], "\(canary)")
            #expect(canary.allSatisfy { $0.status == .ok }, "\(canary)")

            let counters = await sandbox.server.counters()
            #expect(counters["UpsertRunQueue"] >= 2, "the canary's create went through upsertRunQueue: \(counters.requestsByOperation)")
            #expect(counters["DeleteRunQueues"] >= 2, "\(counters.requestsByOperation)")
            let queues = try await sandbox.client.runQueues(inEntities: ["doctor-team"])["doctor-team"] ?? []
            #expect(queues.isEmpty, "left behind: \(queues.map(\.name))")
            if WandbSDKVenv.shouldRun, let subject = canary.first?.subject, let slash = subject.lastIndex(of: "/") {
                let name = String(subject[subject.index(after: slash)...])
                let read = try await sandbox.sdkQueues([("doctor-team", name)])
                #expect(read["doctor-team/\(name)"] ?? nil == nil, "the official SDK still finds \(name)")
            }
        }
    }

    @Test("a key that is not an instance admin: still compatible, with the limits named", .timeLimit(.minutes(5)))
    func nonAdminKey() async throws {
        try await EndToEnd.with { sandbox in
            _ = try await sandbox.client.createUser(email: "ops@example.com")
            let key = try await sandbox.server.createAPIKey(username: "ops")
            var environment = LaunchqCLI.environment(sandbox)
            environment["WANDB_API_KEY"] = key
            let result = try await ChildProcess.run(
                try LaunchqBinary.require(), arguments: ["doctor", "--format", "json"], environment: environment,
                workingDirectory: Repository.root.path, timeout: .seconds(120))
            #expect(result.status == 0, "\(result.both)")
            let report = try JSONDecoder().decode(DoctorReport.self, from: Data(result.output.utf8))
            #expect(report.user == DoctorReport.User(username: "ops", admin: false))
            let search = report.checks.first { $0.check == "user-search" }
            #expect(search?.status == .warning && search?.detail.contains("instance-admin key") == true, "\(report.checks)")
            #expect(report.checks.filter { $0.check == "mutation" }.allSatisfy { $0.status == .ok }, "\(report.checks)")
            #expect(await sandbox.server.counters().mutations == 1, "only the test's own createUser ran")
        }
    }

    @Test("a server without upsertRunQueue: exit 1, naming the mutation", .timeLimit(.minutes(5)))
    func missingMutation() async throws {
        try await TestSandbox.with({ $0.removedMutations = ["upsertRunQueue"] }) { testSandbox in
            let sandbox = EndToEnd(sandbox: testSandbox, client: try testSandbox.client(logger: EndToEnd.quietLogger))
            let (result, decoded) = try await Self.doctor([], sandbox: sandbox)
            #expect(result.status == 1, "\(result.both)")
            let report = try #require(decoded, "\(result.both)")
            #expect(report.failures.map(\.subject) == ["UpsertRunQueue"], "\(report.checks)")
            #expect(report.failures.first?.detail.contains(#"Cannot query field "upsertRunQueue""#) == true, "\(report.failures)")
            #expect(await sandbox.server.counters().mutations == 0)

            let text = try await LaunchqCLI.run(["doctor"], sandbox: sandbox)
            #expect(text.status == 1 && text.output.contains("not compatible: mutation UpsertRunQueue"), "\(text.both)")
        }
    }

    @Test("no server listening: exit 2", .timeLimit(.minutes(3)))
    func cannotConnect() async throws {
        try await EndToEnd.with { sandbox in
            var environment = LaunchqCLI.environment(sandbox)
            environment["WANDB_BASE_URL"] = "http://127.0.0.1:\(try RefusingPort.make())"
            let result = try await ChildProcess.run(
                try LaunchqBinary.require(), arguments: ["doctor", "--format", "json"], environment: environment,
                workingDirectory: Repository.root.path, timeout: .seconds(150))
            #expect(result.status == 2, "\(result.both)")
            let report = try JSONDecoder().decode(DoctorReport.self, from: Data(result.output.utf8))
            #expect(!report.reachable && report.exitCode == 2 && report.checks.map(\.check) == ["viewer"], "\(report)")
        }
    }

    @Test("introspection=off: apply of examples/ succeeds and sends no introspection", .timeLimit(.minutes(5)))
    func applyWithoutIntrospection() async throws {
        try await EndToEnd.with(faults: try FaultPlan.parse("introspection=off")) { sandbox in
            let apply = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"], sandbox: sandbox)
            #expect(apply.status == 0, "\(apply.both)")
            let plan = try await LaunchqCLI.run(["plan", "examples"], sandbox: sandbox)
            #expect(plan.status == 0, "converged: \(plan.both)")
            let counters = await sandbox.server.counters()
            #expect(counters.introspectionRequests == 0, "\(counters.requestsByOperation)")
            #expect(counters["UpsertRunQueue"] >= 5, "\(counters.requestsByOperation)")
        }
    }
}
