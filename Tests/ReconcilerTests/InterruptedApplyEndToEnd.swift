import Declarations
import Foundation
import Reconciler
import Store
import Testing
import WandbAPI
import WandbSandbox

/// `launchq apply` killed with SIGKILL in the middle of its writes: the next run converges without duplicates, and
/// the audit log shows the interrupted step as `started` with no outcome.
@Suite("Interrupted launchq apply, end to end", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct InterruptedApplyEndToEnd {
    @Test("SIGKILL midway, then a re-run converges; the interrupted step stays visible as started", .timeLimit(.minutes(5)))
    func killedThenRerun() async throws {
        let declarations = try Fixtures.examples()
        try await TestDatabase.withFreshDatabase { store, configuration in
            // Every request waits 300 ms in the sandbox, so writes are in flight long enough to be cut off.
            try await EndToEnd.with(faults: try FaultPlan.parse("latency:300ms")) { sandbox in
                let database = TestDatabase.url(of: configuration)
                let child = try LaunchqCLI.start(["apply", "examples", "--auto-approve", "--database-url", database], sandbox: sandbox)
                // The first wave creates the 3 users; the 4th write (the team) is in flight when it is killed.
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(90)
                while await sandbox.server.counters().mutations < 4, clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                child.kill()
                let killed = await child.finish(timeout: .seconds(30))
                #expect(killed.signalled, "launchq apply ended before it was killed: \(killed.both)")
                let writesBeforeKill = await sandbox.server.counters().mutations
                #expect(writesBeforeKill >= 4 && writesBeforeKill < 13, "killed after \(writesBeforeKill) of 13 writes")

                // The audit log: a started event with no outcome after it, for the step that was cut off.
                let events = try await store.events.all()
                let unfinished = Self.unfinished(events)
                #expect(!unfinished.isEmpty, "no interrupted step in \(events.map { "\($0.draft.object?.identity ?? "") \($0.draft.outcome)" })")
                #expect(unfinished.allSatisfy { $0.draft.actor == "launchq apply" })
                // The users' wave finished; the team's create was in flight.
                #expect(unfinished.contains { $0.draft.object == ObjectKey(kind: "Team", identity: "ml-platform") && $0.draft.action == "create" },
                    "\(unfinished.map(\.draft))")
                for email in ["alice@example.com", "bob@example.com", "carol@example.com"] {
                    #expect(events.contains { $0.draft.object?.identity == email && $0.draft.outcome == .succeeded }, "\(email) was created before the kill")
                }

                // Re-run at full speed: converges.
                await sandbox.server.setFaults(.none)
                let rerun = try await LaunchqCLI.run(["apply", "examples", "--auto-approve", "--database-url", database], sandbox: sandbox)
                #expect(rerun.status == 0, "\(rerun.both)")
                let check = try await LaunchqCLI.run(["plan", "examples", "--database-url", database], sandbox: sandbox)
                #expect(check.status == 0 && check.output.contains("No changes."), "\(check.both)")

                // Nothing twice.
                let users = try await sandbox.client.searchUsers(nil)
                for email in ["alice@example.com", "bob@example.com", "carol@example.com"] {
                    #expect(users.count { $0.email?.lowercased() == email } == 1, "\(email)")
                }
                let entity = try #require(try await sandbox.client.readEntities(["ml-platform"], including: .all)["ml-platform"])
                #expect(entity.runQueues.count == 5 && Set(entity.runQueues.map(\.name)).count == 5, "\(entity.runQueues.map(\.name))")
                #expect(entity.members.count == 3, "\(entity.members.map(\.name))")
                #expect(Set(entity.projects.map(\.name)) == ["llm-pretrain", "model-registry"] && entity.projects.count == 2)

                // The interrupted start is still in the (append-only) log after the re-run.
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
