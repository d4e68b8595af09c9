import Declarations
import Foundation
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// Offboarding: a member (and a pending invite) on W&B that the team's declaration no longer lists is an orphan by
/// default and removed — with `Member.delete()`'s `deleteInvite` — only with member pruning on. The SDK reads back.
@Suite("Pruning undeclared team members, end to end", .serialized, .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason))
struct MemberPruneEndToEnd {
    static func team(members: [String]) -> String {
        let users = ["lead", "dev", "leaver"].map { "apiVersion: launchq/v1\nkind: User\nemail: offb-\($0)@example.com\n" }
        let listed = members.map { "  - user: offb-\($0)@example.com\n    role: member\n" }.joined()
        return (users + ["apiVersion: launchq/v1\nkind: Team\nname: offboarding\nadmin: offb-lead@example.com\nmembers:\n" + listed])
            .joined(separator: "---\n")
    }

    static func reconciliation(_ sandbox: EndToEnd, pruneMembers: Bool) -> Reconciliation {
        var planning = Planner.Configuration()
        planning.pruneMembers = pruneMembers
        return Reconciliation(
            observer: Observer(client: sandbox.client), planner: Planner(configuration: planning),
            executor: Executor(client: sandbox.client, logger: EndToEnd.quietLogger))
    }

    @Test("an undeclared member and a pending invite are orphans with member pruning off, removed with it on; users stay", .timeLimit(.minutes(5)))
    func undeclaredMembersAreRemovedOnlyWithPruningOn() async throws {
        try await WandbSDKVenv.require()
        let everyone = try Fixtures.declarations(yaml: Self.team(members: ["dev", "leaver"]))
        let withoutLeaver = try Fixtures.declarations(yaml: Self.team(members: ["dev"]))
        let leaver = PlanStep.id(.teamMember, "offboarding/offb-leaver@example.com")
        let ghost = PlanStep.id(.teamMember, "offboarding/offb-ghost@example.com")
        try await EndToEnd.with { sandbox in
            try await sandbox.apply(everyone, Self.reconciliation(sandbox, pruneMembers: false))
            // A pending invite nobody declared: an e-mail without an account.
            _ = try await sandbox.client.createInvite(entity: "offboarding", usernameOrEmail: "offb-ghost@example.com")
            let users = ["offb-lead@example.com", "offb-dev@example.com", "offb-leaver@example.com"]
            let before = try await WandbSDK.teamMembers("offboarding", users: users, baseURL: sandbox.server.baseURL, apiKey: sandbox.adminKey)
            #expect(before.members.count == 4, "\(before.members)")

            // Member pruning off (the default): both reported as orphans, nothing written.
            let keeping = Self.reconciliation(sandbox, pruneMembers: false)
            let (orphaned, observed) = try await keeping.plan(withoutLeaver)
            #expect(orphaned.steps.first { $0.id == leaver }?.action == .orphan, "\(orphaned.text)")
            #expect(orphaned.steps.first { $0.id == ghost }?.action == .orphan, "\(orphaned.text)")
            #expect(!orphaned.hasChanges && orphaned.deletionIDs.isEmpty, "\(orphaned.text)")
            await sandbox.server.resetCounters()
            _ = try await keeping.run(withoutLeaver, first: orphaned, observed: observed)
            #expect(await sandbox.server.counters().mutations == 0)
            let kept = try await WandbSDK.teamMembers("offboarding", users: [], baseURL: sandbox.server.baseURL, apiKey: sandbox.adminKey)
            #expect(kept.members.count == 4, "orphans must be left alone: \(kept.members)")

            // Member pruning on: two ordinary delete steps, counted by the deletion cap, sent as deleteInvite.
            let pruning = Self.reconciliation(sandbox, pruneMembers: true)
            let (plan, pruneObserved) = try await pruning.plan(withoutLeaver)
            #expect(Set(plan.deletionIDs) == [leaver, ghost], "\(plan.text)")
            #expect(Set(plan.deletionCap.deletions) == [leaver, ghost] && !plan.deletionCap.exceeded, "\(plan.text)")
            #expect(plan.text.contains("- TeamMember offboarding/offb-leaver@example.com"), "\(plan.text)")
            #expect(plan.summary.contains("2 to delete"))
            await sandbox.server.resetCounters()
            let rounds = try await pruning.run(withoutLeaver, first: plan, observed: pruneObserved)
            #expect(rounds.last?.report.outcomes[leaver]?.succeeded == true)
            #expect(rounds.last?.report.outcomes[ghost]?.succeeded == true)
            #expect(await sandbox.server.counters().requestsByOperation["DeleteInvite"] == 2)

            // The SDK reads the team back: the declared admin and member only; every user still exists.
            let after = try await WandbSDK.teamMembers("offboarding", users: users, baseURL: sandbox.server.baseURL, apiKey: sandbox.adminKey)
            #expect(Set(after.members.compactMap(\.username)) == ["offb-lead", "offb-dev"], "\(after.members)")
            #expect(!after.members.contains { $0.pending }, "\(after.members)")
            #expect(after.users == Dictionary(uniqueKeysWithValues: users.map { ($0, true) }), "users are never deleted: \(after.users)")
            let (settled, _) = try await pruning.plan(withoutLeaver)
            #expect(settled.steps.isEmpty, "\(settled.text)")
        }
    }
}
