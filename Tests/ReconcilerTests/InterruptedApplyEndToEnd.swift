import TestSupport
import Declarations
import Foundation
import Reconciler
import Store
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// `launchq apply` killed with SIGKILL in the middle of its writes: the next run converges without duplicates, and
/// with a database the audit log shows the interrupted step as `started` with no outcome.
@Suite("Interrupted launchq apply, end to end", .serialized)
struct InterruptedApplyEndToEnd {
    @Test("SIGKILL midway, then a re-run converges with nothing twice (no database)", .timeLimit(.minutes(5)))
    func killedThenRerunWithoutDatabase() async throws {
        try await Self.killThenRerun(database: nil, store: nil)
    }

    @Test(
        "SIGKILL midway with a database: the interrupted step stays visible as started; the re-run converges",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func killedThenRerunWithDatabase() async throws {
        try await TestDatabase.withFreshDatabase { store, configuration in
            try await Self.killThenRerun(database: TestDatabase.url(of: configuration), store: store)
        }
    }

    /// Runs `launchq apply examples` against a sandbox where every request waits 300 ms, kills it once the 4th write
    /// (the team, after the 3 users) is in flight, checks the audit log (with a `store`), re-runs it and checks the result.
    static func killThenRerun(database: String?, store: PostgresStore?) async throws {
        let databaseArguments = database.map { ["--database-url", $0] } ?? []
        try await EndToEnd.with(faults: try FaultPlan.parse("latency:300ms")) { sandbox in
            let child = try LaunchqCLI.start(["apply", "examples", "--auto-approve"] + databaseArguments, sandbox: sandbox)
            // Writes that arrived at W&B (counted before their 300 ms wait; the sandbox's `mutations` counts them only
            // once they execute, by when launchq may already have recorded the outcome).
            let mutationNames = Set(Operations.all.filter { $0.kind == .mutation }.map(\.name))
            func writesArrived() async -> Int {
                await sandbox.server.counters().requestsByOperation.filter { mutationNames.contains($0.key) }.values.reduce(0, +)
            }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(90)
            while await writesArrived() < 4, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            child.kill()
            let killed = await child.finish(timeout: .seconds(30))
            #expect(killed.signalled, "launchq apply ended before it was killed: \(killed.both)")
            let writesBeforeKill = await writesArrived()
            #expect(writesBeforeKill >= 4 && writesBeforeKill < 13, "killed after \(writesBeforeKill) of 13 writes")

            // The audit log: a started event with no outcome after it, for the step that was cut off.
            var unfinished: [Event] = []
            if let store {
                let events = try await store.events.all()
                unfinished = Self.unfinished(events)
                #expect(!unfinished.isEmpty, "no interrupted step in \(events.map { "\($0.draft.object?.identity ?? "") \($0.draft.outcome)" })")
                #expect(unfinished.allSatisfy { $0.draft.actor == "launchq apply" })
                // The users' wave finished; the team's create was in flight.
                #expect(
                    unfinished.contains { $0.draft.object == ObjectKey(kind: "Team", identity: "ml-platform") && $0.draft.action == "create" },
                    "\(unfinished.map(\.draft))")
                for email in ["alice@example.com", "bob@example.com", "carol@example.com"] {
                    #expect(events.contains { $0.draft.object?.identity == email && $0.draft.outcome == .succeeded }, "\(email) was created before the kill")
                }
            }

            // Re-run at full speed: converges.
            await sandbox.server.setFaults(.none)
            let rerun = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"] + databaseArguments, sandbox: sandbox)
            #expect(rerun.status == 0, "\(rerun.both)")
            let check = try await LaunchqCLI.run(["plan", "examples"] + databaseArguments, sandbox: sandbox)
            #expect(check.status == 0 && check.output.contains("No changes."), "\(check.both)")

            // Nothing twice.
            let users = try await sandbox.client.searchUsers(nil)
            for email in ["alice@example.com", "bob@example.com", "carol@example.com"] {
                #expect(users.count { $0.email?.lowercased() == email } == 1, "\(email)")
            }
            let entity = try #require(try await sandbox.client.readEntities(["ml-platform"], including: .all)["ml-platform"])
            #expect(entity.exists && entity.isTeam == true)
            #expect(entity.runQueues.count == 5 && Set(entity.runQueues.map(\.name)).count == 5, "\(entity.runQueues.map(\.name))")
            #expect(entity.members.count == 3, "\(entity.members.map(\.name))")
            #expect(Set(entity.projects.map(\.name)) == ["llm-pretrain", "model-registry"] && entity.projects.count == 2)

            // The interrupted start is still in the (append-only) log after the re-run, followed by the re-run's work.
            if let store {
                let later = try await store.events.all()
                for event in unfinished {
                    #expect(later.contains { $0.id == event.id && $0.draft.outcome == .started })
                }
                #expect(later.contains { $0.draft.outcome == .succeeded && $0.id > (unfinished.map(\.id).max() ?? 0) })
            }
        }
    }

    /// `started` events with no later outcome for the same object and action (before any later `started` of it).
    static func unfinished(_ events: [Event]) -> [Event] {
        events.enumerated().compactMap { index, event in
            guard event.draft.outcome == .started else { return nil }
            let rest = events[(index + 1)...].filter { $0.draft.object == event.draft.object && $0.draft.action == event.draft.action }
            return rest.first.map { $0.draft.outcome == .started } ?? true ? event : nil
        }
    }
}
