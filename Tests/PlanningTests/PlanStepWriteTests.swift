import Declarations
import Foundation
import JSON
import Planning
import Testing
import WandbModel

/// Steps carry a typed write; `desired` (shown in plans, recorded in events and hashed by the store) is derived from
/// it and must stay byte for byte what it was when it was built from the declarations directly.
@Suite("Typed plan steps")
struct PlanStepWriteTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    static func declarations(_ paths: [String]) throws -> [Declaration] {
        let report = Validator().validate(paths: paths)
        try #require(report.isValid(strict: false), "\(report.diagnostics.map(\.description))")
        return report.declarations
    }

    @Test("a declared queue's write has the canonical state its content hash covers, byte for byte")
    func declaredQueuesMapToTheirCanonicalState() throws {
        var queues = try Self.declarations([Self.examples]).compactMap { if case .runQueue(let queue) = $0.object { queue } else { nil } }
        queues.append(try #require(PlannerTests.declarations(PlannerTests.queueText).compactMap {
            if case .runQueue(let queue) = $0.object { queue } else { nil }
        }.first))
        #expect(queues.count == 6)
        for queue in queues {
            let definition = RunQueueDefinition(declared: queue)
            #expect(CanonicalJSON.string(definition.canonicalState) == CanonicalJSON.string(queue.wandbState), "\(queue.name)")
            #expect(definition.access == .project)
            #expect(definition.resourceType == queue.resourceType.rawValue)
            #expect(definition.externalLinks.map(\.label) == queue.externalLinks.keys.sorted())
        }
    }

    @Test("a queue read from W&B and the same queue declared have the same canonical state")
    func observedQueuesMapToTheSameState() throws {
        let queue = try #require(PlannerTests.declarations(PlannerTests.queueText).compactMap {
            if case .runQueue(let queue) = $0.object { queue } else { nil }
        }.first)
        let observed = RunQueueDefinition(observed: PlannerTests.observedQueue())
        #expect(CanonicalJSON.string(observed.canonicalState) == CanonicalJSON.string(queue.wandbState))
        #expect(ObservedState.Queue(PlannerTests.observedQueue()).state == queue.wandbState)
        // A schema that is not JSON is kept as its text.
        var broken = PlannerTests.observedQueue()
        broken.templateVariables["gpus"] = ObservedTemplateVariable(name: "gpus", description: nil, schemaJSON: "{not json")
        #expect(RunQueueDefinition(observed: broken).canonicalState["template_variables"]?["gpus"] == ["schema": "{not json"])
    }

    @Test("desired of users, teams, members and projects keeps its shape")
    func desiredShapes() {
        let cases: [(PlanStep.Write, String?)] = [
            (.createUser(email: "a@example.com", admin: true), #"{"admin":true,"email":"a@example.com"}"#),
            (.createTeam(name: "ml", admin: "Alice@example.com"), #"{"admin":"Alice@example.com","name":"ml"}"#),
            (.createTeam(name: "ml", admin: nil), #"{"name":"ml"}"#),
            (.invite(team: "ml", user: "bob", role: .admin), #"{"role":"admin","team":"ml","user":"bob"}"#),
            (.upsertProject(entity: "ml", name: "p", description: "d"), #"{"description":"d","entity":"ml","name":"p"}"#),
            (.upsertProject(entity: "ml", name: "model-registry", description: nil), #"{"entity":"ml","name":"model-registry"}"#),
            (.deleteRunQueue(id: "UnVuUXVldWU6MQ=="), nil),
        ]
        for (write, text) in cases {
            #expect(write.desired.map(CanonicalJSON.string) == text, "\(write)")
        }
    }

    @Test("the planner gives every write step its typed payload")
    func plannedWrites() throws {
        let plan = Planner().plan(try Self.declarations([Self.examples]), observed: ObservedState())
        let writes = plan.steps.filter { $0.action.changesWandb }
        #expect(writes.count == 13)
        #expect(writes.allSatisfy { $0.write != nil && $0.desired != nil })
        let byID = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0) })
        #expect(byID["User alice@example.com"]?.write == .createUser(email: "alice@example.com", admin: true))
        #expect(byID["Team ml-platform"]?.write == .createTeam(name: "ml-platform", admin: "alice@example.com"))
        #expect(byID["TeamMember ml-platform/carol@example.com"]?.write == .invite(team: "ml-platform", user: "carol@example.com", role: .admin))
        #expect(byID["Project ml-platform/model-registry"]?.write == .upsertProject(entity: "ml-platform", name: "model-registry", description: nil))
        guard case .putRunQueue(let queue)? = byID["RunQueue ml-platform/a100-training"]?.write else {
            Issue.record("the queue step writes a queue")
            return
        }
        #expect(queue.entity == "ml-platform" && queue.name == "a100-training")
        #expect(plan.text.contains("+ RunQueue ml-platform/a100-training\n    kubernetes, V0, template variables"))

        var pruning = Planner.Configuration()
        pruning.prune = true
        var observed = ObservedState(entities: ["ml": ObservedState.Entity(name: "ml", queues: [PlannerTests.observedQueue(id: "q9")])])
        observed.entities["ml"]?.queues["gpu"]?.pendingItems = 0  // read: empty (a deletion needs its items read)
        let pruned = Planner(configuration: pruning).plan(PlannerTests.declarations("apiVersion: launchq/v1\nkind: Team\nname: ml\n"), observed: observed)
        #expect(pruned.steps.map(\.id) == ["RunQueue ml/gpu"])
        #expect(pruned.steps.first?.action == .delete)
        #expect(pruned.steps.first?.write == .deleteRunQueue(id: "q9"))
        #expect(pruned.steps.first?.desired == nil)
    }

    @Test("a saved plan has formatVersion 2, desired next to write, and reads back equal")
    func savedPlanDocument() throws {
        let plan = Planner().plan(try Self.declarations([Self.examples]), observed: ObservedState())
        #expect(plan.formatVersion == 2)
        let data = try JSONEncoder().encode(plan)
        let document = try JSONValue(parsing: Array(data))
        #expect(document["formatVersion"] == 2)
        let step = try #require(document["steps"]?.array?.first { $0["identity"] == "alice@example.com" })
        #expect(step["desired"] == ["email": "alice@example.com", "admin": true])
        #expect(step["write"] == ["createUser": ["email": "alice@example.com", "admin": true]])
        #expect(try Plan.read(saved: data) == plan)
    }

    @Test("a plan of another format is refused with what to do")
    func otherFormatsRefused() throws {
        let plan = Planner().plan(try Self.declarations([Self.examples]), observed: ObservedState())
        guard case .object(var document) = try JSONValue(parsing: Array(try JSONEncoder().encode(plan))) else {
            Issue.record("a plan is a JSON object")
            return
        }
        document["formatVersion"] = 1
        #expect {
            try Plan.read(saved: Data(CanonicalJSON.bytes(.object(document))))
        } throws: { error in
            guard let error = error as? SavedPlanError else { return false }
            return error.code == .olderFormat && error.message.contains("made by an older launchq") && error.message.contains("run launchq plan again")
        }
        document["formatVersion"] = 3
        #expect(throws: SavedPlanError(
            .newerFormat,
            "the plan was made by a newer launchq (plan format 3; this launchq reads format 2): apply it with that launchq, or run launchq plan again")) {
            try Plan.read(saved: Data(CanonicalJSON.bytes(.object(document))))
        }
        #expect { try Plan.read(saved: Data("{\"steps\": []}".utf8)) } throws: { ($0 as? SavedPlanError)?.code == .notAPlan }
        #expect { try Plan.read(saved: Data("not json".utf8)) } throws: { ($0 as? SavedPlanError)?.code == .notAPlan }
    }
}
