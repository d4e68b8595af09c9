import Declarations
import JSON
import WandbModel

/// The working state of one planning pass.
struct PlanBuilder {
    let declarations: [Declaration]
    /// `declarations[i].contentHash`, computed once by the planner.
    let hashes: [String]
    let observed: ObservedState
    let lastApplied: [String: String]
    /// The policy of each object's last applied declaration, by step id.
    let appliedPolicies: [String: AppliedPolicy]
    let configuration: Planner.Configuration
    /// The steps planned so far, in planning order; add with ``append(_:)``.
    private(set) var steps: [PlanStep] = []
    /// Ids of the steps planned so far that create an object, and that refuse one: what later steps look up
    /// (a set each, so that planning N queues in new teams is not N searches of every step planned before).
    private var creatingIDs: Set<String> = []
    private var refusedIDs: Set<String> = []
    /// Queues that would be deleted if empty (their pending items decide).
    var deletionCandidates: [(entity: String, name: String)] = []

    /// Users declared in this set, by lower-cased email.
    let declaredUsers: [String: User]
    /// Teams declared in this set, by name.
    let declaredTeams: [String: Team]

    init(
        declarations: [Declaration], hashes: [String], observed: ObservedState, lastApplied: [String: String],
        appliedPolicies: [String: AppliedPolicy] = [:], configuration: Planner.Configuration
    ) {
        self.declarations = declarations
        self.hashes = hashes
        self.observed = observed
        self.lastApplied = lastApplied
        self.appliedPolicies = appliedPolicies
        self.configuration = configuration
        var users: [String: User] = [:]
        var teams: [String: Team] = [:]
        for declaration in declarations {
            if case .user(let user) = declaration.object { users[user.email.lowercased()] = user }
            if case .team(let team) = declaration.object { teams[team.name] = team }
        }
        declaredUsers = users
        declaredTeams = teams
    }

    /// Adds a step to the plan.
    mutating func append(_ step: PlanStep) {
        steps.append(step)
        switch step.action {
        case .create: creatingIDs.insert(step.id)
        case .refused: refusedIDs.insert(step.id)
        default: break
        }
    }

    private func stepID(_ subject: PlanStep.Subject, _ identity: String) -> String? {
        let id = PlanStep.id(subject, identity)
        return creatingIDs.contains(id) ? id : nil
    }

    /// Whether a user reference (email or username) exists on W&B or is declared here; and the step creating it.
    private func resolveUser(_ reference: String) -> (exists: Bool, creatingStep: String?) {
        if observed.user(reference) != nil { return (true, nil) }
        if declaredUsers[reference.lowercased()] != nil { return (true, stepID(.user, reference.lowercased())) }
        return (false, nil)
    }

    /// Whether an entity exists on W&B or is declared here as a team; and the step creating it.
    private func resolveEntity(_ name: String) -> (exists: Bool, creatingStep: String?) {
        if observed.entities[name]?.exists == true { return (true, nil) }
        if declaredTeams[name] != nil, !refusedIDs.contains(PlanStep.id(.team, name)) {
            return (true, stepID(.team, name))
        }
        return (false, nil)
    }

    /// Why an object of entity `name` cannot be planned when ``resolveEntity(_:)`` found no entity.
    private func absentEntityReason(_ name: String) -> String {
        if declaredTeams[name] != nil { return "team \(name) cannot be created (see its step)" }
        return "entity \(name) does not exist on W&B (absent or not visible to this API key) and is not declared as a Team"
    }

    mutating func planUsers() {
        for user in declaredUsers.values.sorted(by: { $0.email.lowercased() < $1.email.lowercased() }) {
            let identity = user.email.lowercased()
            guard let existing = observed.user(identity) else {
                append(PlanStep(.create, .user, identity, write: .createUser(email: identity, admin: user.admin)))
                continue
            }
            if existing.admin != user.admin {
                append(PlanStep(
                    .report, .user, identity, changes: [FieldChange(path: "/admin", before: .bool(existing.admin), after: .bool(user.admin))],
                    reason: "the admin flag of an existing W&B user cannot be changed through the API; change it in the W&B admin UI",
                    wandbID: existing.id))
            }
        }
    }

    mutating func planTeams() {
        for team in declaredTeams.values.sorted(by: { $0.name < $1.name }) {
            let entity = observed.entities[team.name]
            if entity?.exists == true, entity?.isTeam == false {
                append(PlanStep(.refused, .team, team.name, reason: "a user entity named \(team.name) exists on W&B; a team cannot take its name"))
                continue
            }
            if entity?.exists != true {
                if let refusal = Self.teamCreationRefusal(team.name, viewer: observed.viewer) {
                    append(PlanStep(.refused, .team, team.name, reason: refusal))
                    for member in team.members {
                        append(PlanStep(
                            .refused, .teamMember, "\(team.name)/\(member.user.lowercased())", reason: "team \(team.name) cannot be created"))
                    }
                    continue
                }
                var dependsOn: [String] = []
                if let admin = team.admin {
                    let resolved = resolveUser(admin)
                    guard resolved.exists else {
                        append(PlanStep(.refused, .team, team.name, reason: "team admin \(admin) does not exist on W&B and is not declared as a User"))
                        for member in team.members {
                            append(PlanStep(
                                .refused, .teamMember, "\(team.name)/\(member.user.lowercased())", reason: "team \(team.name) cannot be created"))
                        }
                        continue
                    }
                    dependsOn += resolved.creatingStep.map { [$0] } ?? []
                }
                append(PlanStep(.create, .team, team.name, write: .createTeam(name: team.name, admin: team.admin), dependsOn: dependsOn))
            }
            planMembers(of: team, observedMembers: entity?.members ?? [])
        }
    }

    /// Why a team the key cannot see must not be planned for creation, if it must not: W&B answers `null` for a
    /// team that does not exist and for one the key cannot see, and only an instance admin may create teams
    /// (wandb/docs#2863). `nil` when the key's user is an admin, or was not read.
    static func teamCreationRefusal(_ name: String, viewer: ObservedUser?) -> String? {
        guard let viewer, !viewer.admin else { return nil }
        let who = viewer.username ?? viewer.email ?? viewer.id
        return "team \(name) is absent or not visible to this API key, and creating a team needs an instance (organization) admin; "
            + "the key's user \(who) is not one. Use an admin key, or have \(name) shared with \(who)"
    }

    private mutating func planMembers(of team: Team, observedMembers: [ObservedTeamMember]) {
        let teamStep = stepID(.team, team.name)
        var matched = Set<Int>()
        for member in team.members {
            let identity = "\(team.name)/\(member.user.lowercased())"
            let index = observedMembers.firstIndex { candidate in
                candidate.username == member.user || candidate.email?.lowercased() == member.user.lowercased()
                    || (observed.user(member.user).map { $0.username != nil && $0.username == candidate.username } ?? false)
            }
            if let index {
                matched.insert(index)
                let isAdmin = member.role == .admin
                if observedMembers[index].isAdmin != isAdmin {
                    append(PlanStep(
                        .report, .teamMember, identity,
                        changes: [FieldChange(path: "/role", before: .string(observedMembers[index].isAdmin ? "admin" : "member"), after: .string(member.role.rawValue))],
                        reason: "a member's role cannot be changed through the API; change it in the W&B team settings", wandbID: observedMembers[index].id))
                }
                continue
            }
            let resolved = resolveUser(member.user)
            guard resolved.exists else {
                append(PlanStep(.refused, .teamMember, identity, reason: "user \(member.user) does not exist on W&B and is not declared as a User"))
                continue
            }
            append(PlanStep(
                .create, .teamMember, identity,
                write: .invite(team: team.name, user: member.user, role: member.role),
                dependsOn: [teamStep, resolved.creatingStep].compactMap { $0 }))
        }
        let admin = team.admin.flatMap { observed.user($0) }
        for (index, member) in observedMembers.enumerated() where !matched.contains(index) {
            if let admin, member.username == admin.username { continue }
            if let email = member.email, email.lowercased() == team.admin?.lowercased() { continue }
            append(undeclaredMemberStep(team: team.name, member: member))
        }
    }

    mutating func planProjects() {
        var wanted: [(entity: String, name: String, description: String?, declared: Bool)] = []
        for declaration in declarations {
            if case .project(let project) = declaration.object { wanted.append((project.entity, project.name, project.description, true)) }
        }
        let queueEntities = Set(declarations.compactMap { if case .runQueue(let queue) = $0.object { queue.entity } else { nil } })
        for entity in queueEntities.sorted() where !wanted.contains(where: { $0.entity == entity && $0.name == Planner.launchProject }) {
            wanted.append((entity, Planner.launchProject, nil, false))
        }
        for project in wanted.sorted(by: { ($0.entity, $0.name) < ($1.entity, $1.name) }) {
            let identity = "\(project.entity)/\(project.name)"
            let owner = resolveEntity(project.entity)
            guard owner.exists else {
                append(PlanStep(.refused, .project, identity, reason: absentEntityReason(project.entity)))
                continue
            }
            let write = PlanStep.Write.upsertProject(entity: project.entity, name: project.name, description: project.description)
            guard let existing = observed.entities[project.entity]?.projects[project.name] else {
                append(PlanStep(.create, .project, identity, write: write, dependsOn: owner.creatingStep.map { [$0] } ?? []))
                continue
            }
            if let description = project.description, existing.description != description {
                append(PlanStep(
                    .update, .project, identity,
                    changes: [FieldChange(path: "/description", before: existing.description.map(JSONValue.string), after: .string(description))],
                    write: write, wandbID: existing.id))
            }
        }
    }

    mutating func planQueues() {
        var declaredQueues = Set<String>()
        for (declaration, declarationHash) in zip(declarations, hashes) {
            guard case .runQueue(let queue) = declaration.object else { continue }
            let identity = "\(queue.entity)/\(queue.name)"
            declaredQueues.insert(identity)
            let owner = resolveEntity(queue.entity)
            guard owner.exists else {
                append(PlanStep(.refused, .runQueue, identity, reason: absentEntityReason(queue.entity)))
                continue
            }
            let definition = RunQueueDefinition(declared: queue)
            let desired = definition.canonicalState
            let dependsOn = [owner.creatingStep, stepID(.project, "\(queue.entity)/\(Planner.launchProject)")].compactMap { $0 }
            let policy = AppliedPolicy(queue.policy)
            guard let existing = observed.entities[queue.entity]?.queues[queue.name] else {
                append(PlanStep(
                    .create, .runQueue, identity, write: .putRunQueue(queue: definition), declarationHash: declarationHash, dependsOn: dependsOn,
                    policy: policy))
                continue
            }
            let changes = FieldChange.diff(existing.state, desired)
            guard !changes.isEmpty else { continue }
            if existing.state["prioritization_mode"] == .string("V0"), queue.prioritizationMode == .disabled {
                append(PlanStep(
                    .refused, .runQueue, identity, changes: changes,
                    reason: "prioritization_mode cannot go from V0 back to DISABLED on W&B; declare V0", wandbID: existing.id))
                continue
            }
            if policy.protect, let irreversible = Self.irreversibleChange(from: existing.state, to: desired) {
                append(PlanStep(
                    .refused, .runQueue, identity, changes: changes,
                    reason: "protected (policy.protect: true): \(irreversible) cannot be undone on W&B; remove protect to allow it", wandbID: existing.id,
                    declarationHash: declarationHash, policy: policy))
                continue
            }
            let id = PlanStep.id(.runQueue, identity)
            let drift = lastApplied[id] == declarationHash
            if drift, (queue.policy.drift ?? configuration.drift) == .report {
                append(PlanStep(
                    .report, .runQueue, identity, changes: changes, reason: "changed on W&B since launchq applied it; policy drift: report",
                    drift: true, write: .putRunQueue(queue: definition), wandbID: existing.id, declarationHash: declarationHash, policy: policy))
            } else {
                append(PlanStep(
                    .update, .runQueue, identity, changes: changes, drift: drift, write: .putRunQueue(queue: definition), wandbID: existing.id,
                    declarationHash: declarationHash, dependsOn: dependsOn, policy: policy))
            }
        }
        planRemovedQueues(declared: declaredQueues)
    }
}
