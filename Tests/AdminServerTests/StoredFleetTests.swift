import Declarations
import Foundation
import Reconciler
import Store
import Testing
import TestSupport

@testable import AdminServer

/// A stored revision kept as its records and decoded a chunk of entities at a time (issue 13): the chunks and the
/// shared users and policies are the whole revision, each declaration once; read from PostgreSQL, the same.
@Suite("StoredFleet: a revision decoded a chunk at a time")
struct StoredFleetTests {
    /// Users, a policy, three teams with projects and interleaved queues: a validated bundle, as a push stores it.
    static func state() throws -> DesiredState {
        var documents = [
            "apiVersion: launchq/v1\nkind: User\nemail: lead@example.com\n",
            "apiVersion: launchq/v1\nkind: Policy\nname: budget\nscope: {entities: [\"team-b\"]}\nrules: {max_gpus_per_job: 8}\n",
            "apiVersion: launchq/v1\nkind: User\nemail: dev@example.com\n",
        ]
        let teams = ["team-c", "team-a", "team-b"]
        for team in teams {
            documents.append("apiVersion: launchq/v1\nkind: Team\nname: \(team)\nadmin: lead@example.com\nmembers: [{user: dev@example.com, role: member}]\n")
            documents.append("apiVersion: launchq/v1\nkind: Project\nentity: \(team)\nname: research\ndescription: d\n")
        }
        for index in 0..<3 {
            for team in teams {
                documents.append(
                    "apiVersion: launchq/v1\nkind: RunQueue\nentity: \(team)\nname: q\(index)\nresource_type: kubernetes\n"
                        + "resource_config: {spec: {parallelism: \(index + 1)}}\n")
            }
        }
        let report = DesiredStateCodec.validate(files: [(path: "fleet.yaml", contents: Array(documents.joined(separator: "---\n").utf8))])
        try #require(report.errorCount == 0, "\(report.diagnostics)")
        let draft = DesiredStateCodec.draft(from: report, source: RevisionSource(kind: "directory", location: "queues"))
        let revision = Revision(
            number: 7, source: draft.source, createdAt: Date(), contentHash: draft.contentHash, declarationCount: draft.declarations.count)
        return DesiredState(revision: revision, declarations: draft.declarations)
    }

    static func keys(_ declarations: [Declaration]) -> [String] {
        declarations.map { "\($0.kind.rawValue) \($0.identity) \($0.contentHash)" }
    }

    @Test("the chunks' declarations plus the shared ones are the whole decode, each once", arguments: [(1, 500), (2, 500), (10, 4), (10, 500)])
    func chunksAddUpToTheWhole(entitiesPerChunk: Int, queuesPerChunk: Int) async throws {
        let state = try Self.state()
        let stored = try StoredFleet(state, entitiesPerChunk: entitiesPerChunk, queuesPerChunk: queuesPerChunk)
        let whole = try DesiredStateCodec.declarations(from: state.declarations)
        #expect(whole.count == state.declarations.count && whole.count == 2 + 1 + 3 * 2 + 9)
        #expect(stored.revision == state.revision && stored.fleet.count == whole.count)
        #expect(stored.fleet.shared.allSatisfy { $0.kind == .user || $0.kind == .policy })
        #expect(Self.keys(stored.fleet.shared) == Self.keys(whole.filter { $0.kind == .user || $0.kind == .policy }))

        var decoded = stored.fleet.shared
        for chunk in stored.fleet.chunks {
            #expect(chunk.count <= max(1, entitiesPerChunk))
            let declarations = try await stored.fleet.declarations(chunk)
            #expect(declarations.allSatisfy { chunk.contains(FleetDeclarations.entity(kind: $0.kind.rawValue, identity: $0.identity) ?? "") })
            decoded += declarations
        }
        #expect(decoded.count == whole.count, "each declaration is handed out once")
        #expect(Set(Self.keys(decoded)) == Set(Self.keys(whole)))
        #expect(stored.fleet.chunks.flatMap { $0 } == ["team-a", "team-b", "team-c"], "every entity in one chunk, in name order")
    }

    @Test("each chunk's declarations come in stored order; chunks follow the queue limit")
    func chunksKeepStoredOrder() async throws {
        let state = try Self.state()
        let stored = try StoredFleet(state, entitiesPerChunk: 25, queuesPerChunk: 6)
        // Three queues each, at most six a chunk: two entities, then one.
        #expect(stored.fleet.chunks == [["team-a", "team-b"], ["team-c"]])
        for chunk in stored.fleet.chunks {
            let decoded = try await stored.fleet.declarations(chunk).map { "\($0.kind.rawValue) \($0.identity)" }
            let stored = state.declarations.map { "\($0.kind) \($0.identity)" }.filter(decoded.contains)
            #expect(decoded == stored)
        }
    }

    @Test("read from PostgreSQL: the same layout, users, policies and chunks as the revision in memory")
    func readFromTheStore() async throws {
        let state = try Self.state()
        try await TestDatabase.withFreshDatabase { store in
            let draft = RevisionDraft(source: state.revision.source, contentHash: state.revision.contentHash, declarations: state.declarations)
            let published = try await store.revisions.publish(draft, expectedCurrent: nil)
            let fromStore = try await StoredFleet.read(published.revision, from: store.revisions, entitiesPerChunk: 2, queuesPerChunk: 500)
            let inMemory = try StoredFleet(state, entitiesPerChunk: 2, queuesPerChunk: 500)
            #expect(fromStore.fleet.chunks == inMemory.fleet.chunks && fromStore.fleet.chunks == [["team-a", "team-b"], ["team-c"]])
            #expect(fromStore.fleet.count == state.declarations.count)
            #expect(Self.keys(fromStore.fleet.shared) == Self.keys(inMemory.fleet.shared))
            for chunk in inMemory.fleet.chunks {
                #expect(Self.keys(try await fromStore.fleet.declarations(chunk)) == Self.keys(try await inMemory.fleet.declarations(chunk)))
            }
            #expect(try await fromStore.fleet.declarations(["absent"]).isEmpty)
        }
    }

    @Test("a record that cannot be read back fails when its chunk is decoded, naming it")
    func unreadableRecord() async throws {
        var state = try Self.state()
        let index = try #require(state.declarations.firstIndex { $0.kind == "RunQueue" && $0.identity == "team-b/q1" })
        state.declarations[index].document = "not json"
        let stored = try StoredFleet(state, entitiesPerChunk: 1)
        #expect(try await stored.fleet.declarations(["team-a"]).count == 5)
        let error = await #expect(throws: DesiredStateError.self) { try await stored.fleet.declarations(["team-b"]) }
        #expect(error?.description.contains("team-b/q1") == true, "\(String(describing: error))")
    }
}
