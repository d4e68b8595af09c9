import Declarations
import Foundation
import JSON
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// Plan and apply where the real W&B server differs from the sandbox's first guesses (issue 11): introspection
/// switched off, a server older than 0.63.0, fields the planner needs coming back null, and a key that is not an
/// instance admin. Sandbox over real HTTP.
@Suite("Plan and apply against a real-like W&B server", .serialized)
struct RealServerEndToEnd {
    static let team = """
        apiVersion: launchq/v1
        kind: Team
        name: legacy-team
        """

    static func queue(cpus: Int) -> String {
        """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: legacy-team
        name: cpu
        resource_type: local-container
        resource_config: {cpus: \(cpus)}
        """
    }

    @Test("with introspection off, apply of examples/ succeeds and sends no introspection", .timeLimit(.minutes(3)))
    func examplesWithoutIntrospection() async throws {
        let declarations = try Fixtures.examples()
        try await EndToEnd.with(faults: try FaultPlan.parse("introspection=off")) { sandbox in
            let rounds = try await sandbox.apply(declarations, sandbox.reconciliation())
            #expect(rounds.last?.report.failed == 0, "\(rounds.map(\.plan.text))")
            let (plan, _) = try await sandbox.reconciliation().plan(declarations)
            #expect(!plan.hasChanges, "\(plan.text)")
            let counters = await sandbox.server.counters()
            #expect(counters.introspectionRequests == 0, "\(counters.requestsByOperation)")
            #expect(counters["ProbeServerCapabilities"] == 0)
            #expect(counters["UpsertRunQueue"] >= 4, "\(counters.requestsByOperation)")
        }
    }

    @Test("a server without upsertRunQueue gets creations through createRunQueue and a clear refusal for updates", .timeLimit(.minutes(3)))
    func serverOlderThanUpsert() async throws {
        try await TestSandbox.with({ $0.removedMutations = ["upsertRunQueue"] }) { sandbox in
            let harness = EndToEnd(sandbox: sandbox, client: try sandbox.client(logger: EndToEnd.quietLogger))
            let first = try Fixtures.declarations(yaml: Self.team + "\n---\n" + Self.queue(cpus: 2))
            let rounds = try await harness.apply(first, harness.reconciliation())
            #expect(rounds.last?.report.failed == 0, "\(rounds.map(\.plan.text))")
            #expect(try await harness.client.runQueues(inEntities: ["legacy-team"])["legacy-team"]?.first?.config == ["cpus": 2])
            var counters = await sandbox.server.counters()
            #expect(counters["CreateRunQueue"] == 1 && counters["CreateDefaultResourceConfig"] == 1, "\(counters.requestsByOperation)")

            let second = try Fixtures.declarations(yaml: Self.team + "\n---\n" + Self.queue(cpus: 4))
            let update = try await harness.apply(second, harness.reconciliation(maxRounds: 1))
            #expect(update.first?.plan.steps.map(\.action) == [.update], "\(update.map(\.plan.text))")
            guard case .failed(let message)? = update.first?.report.outcomes["RunQueue legacy-team/cpu"]?.status else {
                Issue.record("the update must fail: \(String(describing: update.first?.report.outcomes))")
                return
            }
            #expect(message.contains("needs W&B server 0.63.0 or newer"), "\(message)")
            #expect(message.contains("upsertRunQueue"), "\(message)")
            counters = await sandbox.server.counters()
            #expect(counters["CreateRunQueue"] == 1, "an update is never a second create: \(counters.requestsByOperation)")
            #expect(try await harness.client.runQueues(inEntities: ["legacy-team"])["legacy-team"]?.first?.config == ["cpus": 2])
        }
    }

    @Test("a queue whose config comes back null while its id is set fails the plan, naming the field", .timeLimit(.minutes(3)))
    func nullConfigFailsThePlan() async throws {
        let folder = try Repository.temporaryFolder("launchq-null-field")
        defer { try? FileManager.default.removeItem(at: folder) }
        let statePath = folder.appendingPathComponent("state.json").path
        let declarations = try Fixtures.declarations(yaml: Self.team + "\n---\n" + Self.queue(cpus: 2))
        try await TestSandbox.with({ $0.statePath = statePath }) { sandbox in
            let harness = EndToEnd(sandbox: sandbox, client: try sandbox.client(logger: EndToEnd.quietLogger))
            let rounds = try await harness.apply(declarations, harness.reconciliation())
            #expect(rounds.last?.report.failed == 0)
        }
        // The queue keeps its config id; the config itself is gone (as a key that cannot see it would be answered).
        var state = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: statePath))))
        guard case .object(var members) = state else { throw JSONTestFailure("the state file is not an object") }
        members["resourceConfigs"] = .object([:])
        state = .object(members)
        try Data(CanonicalJSON.string(state).utf8).write(to: URL(fileURLWithPath: statePath))

        try await TestSandbox.with({ $0.statePath = statePath }) { sandbox in
            let harness = EndToEnd(sandbox: sandbox, client: try sandbox.client(logger: EndToEnd.quietLogger))
            let error = await #expect(throws: WandbAPIError.self) { try await harness.reconciliation().plan(declarations) }
            #expect(error?.code == .decoding)
            #expect(error?.operation == "ReadEntities")
            #expect(error?.message.contains("runQueue.defaultResourceConfig of queue legacy-team/cpu") == true, "\(String(describing: error))")
            #expect(await sandbox.server.counters().mutations == 0, "nothing is written from a plan that could not be made")
        }
    }

    @Test("a key that is not an admin: a new team is a refused step saying why; users are one clear error", .timeLimit(.minutes(3)))
    func nonAdminKey() async throws {
        try await EndToEnd.with { admin in
            let bob = try await admin.client.createUser(email: "bob@example.com")
            let bobKey = try await admin.server.createAPIKey(username: try #require(bob.username))
            let asBob = EndToEnd(sandbox: admin.sandbox, client: try admin.sandbox.client(key: bobKey, logger: EndToEnd.quietLogger))

            let declarations = try Fixtures.declarations(yaml: Self.team + "\n---\n" + Self.queue(cpus: 2))
            let (plan, observed) = try await asBob.reconciliation().plan(declarations)
            #expect(observed.viewer?.admin == false)
            let byID = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0) })
            let team = try #require(byID["Team legacy-team"], "\(plan.text)")
            #expect(team.action == .refused)
            #expect(team.reason?.contains("absent or not visible to this API key") == true, "\(plan.text)")
            #expect(team.reason?.contains("instance (organization) admin") == true, "\(plan.text)")
            #expect(byID["RunQueue legacy-team/cpu"]?.action == .refused, "\(plan.text)")
            #expect(plan.text.contains("absent or not visible to this API key"), "\(plan.text)")

            // The admin's key plans the same team as a creation.
            let (adminPlan, _) = try await admin.reconciliation().plan(declarations)
            #expect(adminPlan.steps.first { $0.id == "Team legacy-team" }?.action == .create, "\(adminPlan.text)")

            // Members need users(query:), which only an instance admin may send: one message, not one per member.
            let members = try Fixtures.declarations(yaml: """
                apiVersion: launchq/v1
                kind: Team
                name: legacy-team
                members:
                  - user: carol@example.com
                    role: member
                  - user: dave@example.com
                    role: admin
                """)
            let error = await #expect(throws: WandbAPIError.self) { try await asBob.reconciliation().plan(members) }
            #expect(error?.code == .permissionDenied)
            #expect(error?.message.contains("need an instance-admin API key") == true, "\(String(describing: error))")
            #expect(error?.message.contains(bobKey) == false)
        }
    }
}

private struct JSONTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
