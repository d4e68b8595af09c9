import Declarations
import Foundation
import Planning
import Reconciler
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// Apply through a sandbox that fails 30% of requests (5xx before and after executing, 429, dropped connections):
/// the rounds converge and nothing exists twice.
@Suite("Apply under injected faults, end to end", .serialized)
struct FaultsEndToEnd {
    /// 30% of requests fail: 10% HTTP 500 (not executed), 5% HTTP 502 after executing (a lost answer: the change
    /// happened), 10% HTTP 429, 5% dropped connections.
    static let faults = "500:0.1,502:0.05@after,429:0.1,drop:0.05"

    @Test("apply converges with no duplicate users, teams, members or queues", .timeLimit(.minutes(5)), arguments: [1, 7, 42] as [UInt64])
    func convergesWithoutDuplicates(seed: UInt64) async throws {
        let declarations = try Fixtures.examples() + Fixtures.generated(prefix: "flaky", teams: 3, queuesEach: 12)
        let queues = Fixtures.queues(declarations)
        let emails = declarations.compactMap { if case .user(let user) = $0.object { user.email.lowercased() } else { nil } }
        let teams = declarations.compactMap { if case .team(let team) = $0.object { team } else { nil } }
        var faults = try FaultPlan.parse(Self.faults)
        faults.seed = seed
        try await EndToEnd.with(faults: faults) { sandbox in
            let rounds = try await sandbox.apply(declarations, sandbox.reconciliation(maxRounds: 12))
            let last = try #require(rounds.last)
            #expect(last.report.failed == 0 && last.report.skipped == 0, "not converged after \(rounds.count) rounds: \(last.report.outcomes)")
            let counters = await sandbox.server.counters()
            let injected = counters.faultsInjected.values.reduce(0, +)
            #expect(injected > 0, "no fault was injected: \(counters)")

            // Count everything without faults, through the client.
            await sandbox.server.setFaults(.none)
            let (plan, _) = try await sandbox.reconciliation().plan(declarations)
            #expect(!plan.hasChanges && plan.steps.isEmpty, "after \(rounds.count) rounds:\n\(plan.text)")

            let users = try await sandbox.client.searchUsers(nil)
            for email in emails {
                #expect(users.count { $0.email?.lowercased() == email } == 1, "\(email) exists \(users.count { $0.email?.lowercased() == email }) times")
            }
            let entities = try await sandbox.client.readEntities(teams.map(\.name) + ["ml-platform"], including: .all)
            for team in teams {
                let entity = try #require(entities[team.name])
                #expect(entity.exists && entity.isTeam == true, "team \(team.name)")
                let names = entity.members.map { $0.email?.lowercased() ?? $0.username ?? $0.name }
                #expect(Set(names).count == names.count, "members of \(team.name) repeat: \(names)")
                #expect(names.count == team.members.count + (team.members.contains { $0.user == team.admin } ? 0 : 1), "members of \(team.name): \(names)")
                let projects = entity.projects.map(\.name)
                #expect(Set(projects).count == projects.count, "projects of \(team.name) repeat: \(projects)")
            }
            var found = 0
            for (name, entity) in entities {
                let queueNames = entity.runQueues.map(\.name)
                #expect(Set(queueNames).count == queueNames.count, "queues of \(name) repeat: \(queueNames)")
                found += queueNames.count
            }
            #expect(found == queues.count, "\(found) queues on W&B, \(queues.count) declared")
            print("faults seed \(seed): converged in \(rounds.count) round(s); \(counters.total) requests, injected \(counters.faultsInjected)")
        }
    }
}
