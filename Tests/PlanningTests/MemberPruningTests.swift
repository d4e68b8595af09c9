import Declarations
import Foundation
import Planning
import Testing
import WandbModel

/// Offboarding in the planner: undeclared members and pending invites of a declared team are orphans by default and
/// ordinary delete steps (`deleteInvite`, counted by the deletion cap) with member pruning on.
@Suite("Planning member removals")
struct MemberPruningTests {
    static let team = "apiVersion: launchq/v1\nkind: Team\nname: ml\nadmin: ann@example.com\nmembers: [{user: bob@example.com}]\n"

    static func member(_ id: String?, _ username: String?, email: String?, pending: Bool = false) -> ObservedTeamMember {
        ObservedTeamMember(
            id: id, username: username, email: email, name: email ?? username ?? "?", admin: false, pending: pending, accountType: nil, role: nil)
    }

    static let observed = ObservedState(entities: [
        "ml": ObservedState.Entity(name: "ml", members: [
            member("u-ann", "ann", email: "ann@example.com"), member("u-bob", "bob", email: "bob@example.com"),
            member("u-eve", "eve", email: "eve@example.com"), member("i-7", nil, email: "zed@example.com", pending: true),
        ]),
    ])

    static func declarations() -> [Declaration] {
        var load = LoadResult()
        DeclarationLoader().load(contents: Array(team.utf8), file: "team.yaml", into: &load)
        let report = Validator().validate(load)
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
        return report.declarations
    }

    @Test func undeclaredMembersAreOrphansByDefault() {
        let plan = Planner().plan(Self.declarations(), observed: Self.observed)
        #expect(plan.steps.map(\.id) == ["TeamMember ml/eve@example.com", "TeamMember ml/zed@example.com"], "\(plan.text)")
        #expect(plan.steps.allSatisfy { $0.action == .orphan && $0.write == nil }, "\(plan.text)")
        #expect(plan.steps.last?.reason?.contains("pending invite") == true)
        #expect(!plan.hasChanges && plan.deletionCap.deletions.isEmpty)
    }

    @Test func withMemberPruningTheyAreDeleteStepsTheCapCounts() throws {
        var configuration = Planner.Configuration()
        configuration.pruneMembers = true
        let plan = Planner(configuration: configuration).plan(Self.declarations(), observed: Self.observed)
        #expect(plan.steps.map(\.action) == [.delete, .delete], "\(plan.text)")
        #expect(plan.steps.map(\.write) == [.removeMember(team: "ml", id: "u-eve"), .removeMember(team: "ml", id: "i-7")])
        #expect(plan.deletionCap.deletions == ["TeamMember ml/eve@example.com", "TeamMember ml/zed@example.com"])
        #expect(plan.summary == "Plan: 0 to create, 0 to update, 2 to delete.")
        #expect(plan.text.contains("- TeamMember ml/eve@example.com"), "\(plan.text)")
        #expect(plan.steps.first?.reason?.contains("the user account stays") == true)
        // A saved plan keeps the write.
        #expect(try JSONDecoder().decode(Plan.self, from: JSONEncoder().encode(plan)) == plan)

        // Past the cap the whole plan is refused, member removals included.
        configuration.maxDeletions = 1
        #expect(Planner(configuration: configuration).plan(Self.declarations(), observed: Self.observed).deletionCap.exceeded)
    }

    @Test func aMemberWithoutAnIDIsRefusedNotGuessed() {
        var configuration = Planner.Configuration()
        configuration.pruneMembers = true
        let observed = ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", members: [Self.member(nil, "eve", email: nil)])])
        let plan = Planner(configuration: configuration).plan(Self.declarations(), observed: observed)
        let step = plan.steps.first { $0.id == "TeamMember ml/eve" }
        #expect(step?.action == .refused && step?.reason?.contains("no id") == true, "\(plan.text)")
        #expect(plan.deletionCap.deletions.isEmpty)
    }
}
