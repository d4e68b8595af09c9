import WandbModel

/// Offboarding: what happens to a member (or pending invite) on W&B that its team's declaration does not list.
extension PlanBuilder {
    /// An ordinary `delete` step (counted by the deletion cap) that removes the membership the way the SDK's
    /// `Member.delete()` does (`deleteInvite` with the member's id) when ``Planner/Configuration/pruneMembers``
    /// is on; an orphan, left alone, when it is off (the default). The user account is never deleted.
    func undeclaredMemberStep(team: String, member: ObservedTeamMember) -> PlanStep {
        let name = (member.email ?? member.username ?? member.name).lowercased()
        let identity = "\(team)/\(name)"
        let what = member.pending ? "pending invite" : "member"
        guard configuration.pruneMembers else {
            return PlanStep(
                .orphan, .teamMember, identity, reason: "\(what) on W&B, not declared; left alone: member pruning is off (--prune-members)",
                wandbID: member.id)
        }
        guard let id = member.id, !id.isEmpty else {
            return PlanStep(.refused, .teamMember, identity, reason: "not removed: W&B answered no id for this \(what), and removing one needs it")
        }
        return PlanStep(
            .delete, .teamMember, identity,
            reason: "\(what) on W&B, not declared in team \(team); removed from the team (--prune-members); the user account stays",
            write: .removeMember(team: team, id: id), wandbID: id)
    }
}
