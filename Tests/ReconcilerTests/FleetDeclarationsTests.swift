import Declarations
import Reconciler
import Testing

/// How a fleet is cut into chunks of entities for ``Reconciliation/run(fleet:_:)`` (issue 13). Pure.
@Suite("Fleet declarations: chunks of entities")
struct FleetDeclarationsTests {
    @Test("at most entitiesPerChunk entities a chunk, in name order whatever order they come in")
    func entityCountLimit() {
        let entities = [("c", 1), ("a", 1), ("e", 0), ("b", 2), ("d", 1)].map { (name: $0.0, queues: $0.1) }
        #expect(FleetDeclarations.chunks(entities, entitiesPerChunk: 2, queuesPerChunk: 100) == [["a", "b"], ["c", "d"], ["e"]])
        #expect(FleetDeclarations.chunks(entities, entitiesPerChunk: 1, queuesPerChunk: 100) == [["a"], ["b"], ["c"], ["d"], ["e"]])
        #expect(FleetDeclarations.chunks(entities, entitiesPerChunk: 10, queuesPerChunk: 100) == [["a", "b", "c", "d", "e"]])
        // A limit below one still puts one entity in each chunk.
        #expect(FleetDeclarations.chunks(entities, entitiesPerChunk: 0, queuesPerChunk: 100).map(\.count) == [1, 1, 1, 1, 1])
    }

    @Test("a chunk holds at most queuesPerChunk queues; an entity with more is alone in its chunk")
    func queueCountLimit() {
        let entities = [("a", 2), ("b", 1), ("c", 1), ("d", 5), ("e", 0), ("f", 2)].map { (name: $0.0, queues: $0.1) }
        let chunks = FleetDeclarations.chunks(entities, entitiesPerChunk: 10, queuesPerChunk: 3)
        #expect(chunks == [["a", "b"], ["c"], ["d"], ["e", "f"]])
        let queues = Dictionary(uniqueKeysWithValues: entities.map { ($0.name, $0.queues) })
        for chunk in chunks where chunk.count > 1 {
            #expect(chunk.reduce(0) { $0 + queues[$1]! } <= 3, "\(chunk)")
        }
        // Both limits at once: whichever is reached first closes the chunk.
        #expect(FleetDeclarations.chunks(entities, entitiesPerChunk: 1, queuesPerChunk: 3) == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"]])
        #expect(FleetDeclarations.chunks([(name: "big", queues: 9)], entitiesPerChunk: 5, queuesPerChunk: 2) == [["big"]])
    }

    @Test("no entities, no chunks")
    func emptyInput() {
        #expect(FleetDeclarations.chunks([], entitiesPerChunk: 5, queuesPerChunk: 500).isEmpty)
        let fleet = FleetDeclarations([], entitiesPerChunk: 5)
        #expect(fleet.chunks.isEmpty && fleet.shared.isEmpty && fleet.count == 0)
    }

    @Test("the entity a declaration lives in, for each kind")
    func entityOfEachKind() {
        #expect(FleetDeclarations.entity(kind: "RunQueue", identity: "ml-platform/gpu-a100") == "ml-platform")
        #expect(FleetDeclarations.entity(kind: "Project", identity: "research/launch") == "research")
        #expect(FleetDeclarations.entity(kind: "Team", identity: "research") == "research")
        #expect(FleetDeclarations.entity(kind: "User", identity: "someone@example.com") == nil)
        #expect(FleetDeclarations.entity(kind: "Policy", identity: "budget") == nil)
        #expect(FleetDeclarations.entity(kind: "Unknown", identity: "a/b") == nil)
        for kind in Declaration.Kind.allCases {
            #expect(FleetDeclarations.entity(kind: kind.rawValue, identity: "x/y") != nil || kind == .user || kind == .policy, "\(kind)")
        }
    }

    /// Two users, a policy, and three teams each with a project and `queuesEach` queues, interleaved across teams.
    static func fleet(queuesEach: Int = 3) throws -> [Declaration] {
        var documents = [
            "apiVersion: launchq/v1\nkind: User\nemail: lead@example.com\n",
            "apiVersion: launchq/v1\nkind: User\nemail: dev@example.com\n",
            "apiVersion: launchq/v1\nkind: Policy\nname: budget\nscope: {entities: [\"team-b\"]}\nrules: {max_gpus_per_job: 8}\n",
        ]
        let teams = ["team-c", "team-a", "team-b"]
        for team in teams {
            documents.append("apiVersion: launchq/v1\nkind: Team\nname: \(team)\nadmin: lead@example.com\nmembers: [{user: dev@example.com, role: member}]\n")
            documents.append("apiVersion: launchq/v1\nkind: Project\nentity: \(team)\nname: research\ndescription: d\n")
        }
        for index in 0..<queuesEach {
            for team in teams {
                documents.append(Fixtures.queue(entity: team, name: "q\(index)", type: "kubernetes", revision: 0))
            }
        }
        return try Fixtures.declarations(yaml: documents.joined(separator: "\n---\n"))
    }

    @Test("a decoded fleet: users and policies shared, every other declaration in exactly one chunk, in its entity's")
    func decodedFleet() async throws {
        let all = try Self.fleet()
        let fleet = FleetDeclarations(all, entitiesPerChunk: 2, queuesPerChunk: 4)
        #expect(fleet.count == all.count)
        #expect(fleet.shared.map(\.identity) == ["lead@example.com", "dev@example.com", "budget"])
        #expect(fleet.shared.allSatisfy { $0.kind == .user || $0.kind == .policy })
        // Three queues each: at most four queues a chunk means one entity a chunk, in name order.
        #expect(fleet.chunks == [["team-a"], ["team-b"], ["team-c"]])
        var seen: [String: Int] = [:]
        for chunk in fleet.chunks {
            let declarations = try await fleet.declarations(chunk)
            #expect(!declarations.isEmpty)
            for declaration in declarations {
                #expect(declaration.kind != .user && declaration.kind != .policy)
                let entity = try #require(FleetDeclarations.entity(kind: declaration.kind.rawValue, identity: declaration.identity))
                #expect(chunk.contains(entity), "\(declaration.identity) handed out with \(chunk)")
                seen["\(declaration.kind.rawValue) \(declaration.identity)", default: 0] += 1
            }
            // Within a chunk, declarations keep the fleet's order.
            let order = declarations.map { d in all.firstIndex { $0.kind == d.kind && $0.identity == d.identity }! }
            #expect(order == order.sorted(), "\(chunk)")
        }
        let unshared = all.filter { $0.kind != .user && $0.kind != .policy }
        #expect(seen.count == unshared.count && seen.values.allSatisfy { $0 == 1 }, "\(seen)")
        #expect(Set(seen.keys) == Set(unshared.map { "\($0.kind.rawValue) \($0.identity)" }))

        // Looser limits: fewer chunks, the same declarations handed out.
        let wide = FleetDeclarations(all, entitiesPerChunk: 2, queuesPerChunk: 500)
        #expect(wide.chunks == [["team-a", "team-b"], ["team-c"]])
        var handed = 0
        for chunk in wide.chunks { handed += try await wide.declarations(chunk).count }
        #expect(handed == unshared.count && handed + wide.shared.count == all.count)
        // An entity not in the fleet has nothing to hand out.
        #expect(try await wide.declarations(["nobody"]).isEmpty)
    }
}
