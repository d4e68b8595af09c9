import Declarations
import JSON
import Planning
import Testing
import WandbModel

/// A fleet planned a chunk of entities at a time (issue 13) is the same one plan as the whole fleet planned at once.
@Suite("Planning: a fleet planned in chunks of entities")
struct FleetPlanTests {
    static let entities = ["team-a", "team-b", "team-c", "team-d", "team-e"]

    /// Five teams (declared with admins and members, two users declared), projects, and queues whose declarations
    /// interleave the entities; `extra` is appended.
    static func fleet(extra: String = "") -> [Declaration] {
        var docs = [
            "apiVersion: launchq/v1\nkind: User\nemail: new@example.com\n",
            "apiVersion: launchq/v1\nkind: User\nemail: Old@example.com\n",
            "apiVersion: launchq/v1\nkind: Policy\nname: budget\nscope: {entities: [\"team-b\"]}\nrules: {max_gpus_per_job: 8}\n",
        ]
        for (index, name) in entities.enumerated() {
            docs.append(
                "apiVersion: launchq/v1\nkind: Team\nname: \(name)\nadmin: old@example.com\n"
                    + "members: [{user: new@example.com, role: member}, {user: ghost\(index)@example.com, role: admin}]\n")
            docs.append("apiVersion: launchq/v1\nkind: Project\nentity: \(name)\nname: research\ndescription: d\(index)\n")
        }
        for index in 0..<20 {
            let entity = entities[(index * 3) % entities.count]
            docs.append(
                "apiVersion: launchq/v1\nkind: RunQueue\nentity: \(entity)\nname: q\(index)\nresource_type: kubernetes\n"
                    + "resource_config: {spec: {parallelism: \(index % 4 + 1)}}\n")
        }
        return PlannerTests.declarations(docs.joined(separator: "---\n") + extra)
    }

    static func queue(_ entity: String, _ name: String, cpu: Int) -> ObservedRunQueue {
        ObservedRunQueue(
            id: "id-\(entity)-\(name)", entity: entity, name: name, resourceType: "kubernetes",
            wrappedConfig: .object(["resource_args": .object(["kubernetes": .object(["spec": .object(["parallelism": .integer(cpu)])])])]),
            templateVariables: [:], prioritizationMode: .disabled, externalLinksJSON: nil, access: .project, defaultResourceConfigID: "c-\(name)")
    }

    /// W&B: team-a and team-d absent; the others exist with some of the declared queues (one changed), undeclared
    /// queues (empty, so pruning deletes them) and a project with another description; one user exists. (`cpu`: the
    /// JobSpec's parallelism.)
    static func whole(undeclaredPerEntity: Int = 2) -> ObservedState {
        var observed = ObservedState(users: ["old@example.com": ObservedUser(id: "u1", name: "Old", username: "old", email: "old@example.com", admin: true, entity: "old", teams: [], deleted: false)])
        for name in entities {
            guard name != "team-a", name != "team-d" else {
                observed.entities[name] = ObservedState.Entity(name: name, exists: false, isTeam: false)
                continue
            }
            var queues = (0..<20).filter { entities[($0 * 3) % entities.count] == name && $0 % 2 == 0 }.map { queue(name, "q\($0)", cpu: $0 % 4 + 1) }
            if let first = queues.first { queues[0] = queue(name, first.name, cpu: 9) }
            queues += (0..<undeclaredPerEntity).map { queue(name, "old\($0)", cpu: 1) }
            var entity = ObservedState.Entity(
                name: name, queues: queues, projects: ["research": .init(id: "p-\(name)", description: "other"), "model-registry": .init(id: "m-\(name)")],
                members: [ObservedTeamMember(id: "m-\(name)", username: "stranger", email: "s@example.com", name: "S", admin: false, pending: false, accountType: nil, role: nil)])
            for index in 0..<undeclaredPerEntity { entity.queues["old\(index)"]?.pendingItems = 0 }
            observed.entities[name] = entity
        }
        observed.viewer = ObservedUser(id: "u1", name: "Old", username: "old", email: "old@example.com", admin: true, entity: "old", teams: [], deleted: false)
        return observed
    }

    /// Plans `declarations` in chunks of `size` entities against `whole`, cut up as the observer reads it.
    static func chunked(_ declarations: [Declaration], _ whole: ObservedState, size: Int, planner: Planner) -> (Plan, ObservedState) {
        var fleet = FleetPlan(declarations: declarations, users: whole.users, planner: planner)
        for chunk in FleetPlan.chunks(of: declarations, entitiesPerChunk: size) {
            var observed = ObservedState(users: whole.users, scope: ObservationScope(entities: chunk.entities))
            for name in chunk.entities { observed.entities[name] = whole.entities[name] }
            if observed.entities.values.contains(where: { !$0.exists }) { observed.viewer = whole.viewer }
            fleet.add(chunk, observed: observed)
        }
        return fleet.finish()
    }

    static func planner(maxDeletions: Int? = nil) -> Planner {
        var configuration = Planner.Configuration()
        configuration.prune = true
        configuration.maxDeletions = maxDeletions
        return Planner(configuration: configuration)
    }

    @Test("chunks of 1, 2 and 3 entities give the whole-fleet plan: steps, order, hashes, scope and deletion cap")
    func chunkedPlanIsTheWholePlan() throws {
        let declarations = Self.fleet()
        var whole = Self.whole()
        whole.scope = ObservationScope(declarations)
        let planner = Self.planner(maxDeletions: 100)
        let expected = planner.plan(declarations, observed: whole)
        #expect(expected.count(.create) > 0 && expected.count(.update) > 0 && expected.count(.delete) == 6, "\(expected.text)")
        #expect(expected.steps.contains { $0.subject == .user } && expected.steps.contains { $0.action == .refused }, "\(expected.text)")
        for size in [1, 2, 3] {
            #expect(FleetPlan.chunks(of: declarations, entitiesPerChunk: size).count == (Self.entities.count + size - 1) / size)
            let (plan, slim) = Self.chunked(declarations, whole, size: size, planner: planner)
            #expect(plan == expected, "chunks of \(size):\n\(plan.text)\n---\n\(expected.text)")
            #expect(plan.text == expected.text)
            // The slimmed observation hashes the same, holds no JSON trees, and keeps what apply and the recorder read.
            #expect(slim.hash == whole.hash)
            let kept = try #require(slim.entities["team-b"]?.queues["old0"])
            #expect(kept.state == .null && kept.raw.defaultResourceConfigID == "c-old0" && kept.pendingItems == 0)
            #expect(kept.canonicalText == whole.entities["team-b"]?.queues["old0"]?.canonicalText)
        }
    }

    @Test("the deletion cap counts the deletions of every chunk before anything is written")
    func deletionCapOverChunks() {
        let declarations = Self.fleet()
        var whole = Self.whole()
        whole.scope = ObservationScope(declarations)
        // 6 deletions in all, 2 per chunk of one entity: each chunk alone is under the cap of 5, the fleet is over it.
        let (plan, _) = Self.chunked(declarations, whole, size: 1, planner: Self.planner(maxDeletions: 5))
        #expect(plan.deletionCap.exceeded && plan.deletionCap.deletions.count == 6, "\(plan.text)")
        #expect(plan.deletionCap == Self.planner(maxDeletions: 5).plan(declarations, observed: whole).deletionCap)
        #expect(plan.deletionCap.managedObjects == declarations.count + 6)
        #expect(plan.text.contains("! Refused: this plan deletes 6 objects, more than --max-deletions 5"), "\(plan.text)")
    }

    @Test("a fleet of users alone is one chunk, keeping the user steps")
    func usersAlone() {
        let declarations = PlannerTests.declarations("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\n")
        let chunks = FleetPlan.chunks(of: declarations, entitiesPerChunk: 1)
        #expect(chunks.count == 1 && chunks[0].keepsUsers && chunks[0].entities.isEmpty)
        let observed = ObservedState(scope: ObservationScope(declarations))
        let (plan, _) = Self.chunked(declarations, observed, size: 1, planner: Planner())
        #expect(plan == Planner().plan(declarations, observed: observed) && plan.count(.create) == 1)
    }
}
