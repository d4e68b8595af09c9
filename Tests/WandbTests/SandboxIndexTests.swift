import Foundation
import Testing

@testable import WandbSandbox

/// The sandbox state's indexes and persistence pieces: lookups by name agree with a scan of the tables through
/// creates, renames of membership, deletions and a save/load; a snapshot does not see later writes; the state file
/// document kept record by record decodes to the same state as one written from scratch.
@Suite("Sandbox state indexes and document")
struct SandboxIndexTests {
    /// A state with two teams, a project each, queues (some deleted), items, invites and a service account.
    static func populated() throws -> SandboxState {
        var state = SandboxState()
        state.bootstrapAdmin(username: "admin", apiKey: String(repeating: "k", count: 40), now: "t")
        let admin = try #require(state.user(username: "admin"))
        for team in ["ml", "vision"] {
            _ = try state.createTeam(name: team, adminUsername: "admin", caller: admin, now: "t")
            _ = try state.upsertProject(.init(entityName: team, name: "model-registry"), caller: admin, now: "t")
            for index in 0..<30 {
                _ = try state.upsertRunQueue(
                    .init(entityName: team, projectName: "model-registry", queueName: "q-\(index)", resourceType: "kubernetes",
                          resourceConfig: #"{"resource_args":{"kubernetes":{"n":\#(index)}}}"#), caller: admin, now: "t")
            }
        }
        // Updates keep ids and the index entries; deletions drop them.
        _ = try state.upsertRunQueue(
            .init(entityName: "ml", projectName: "model-registry", queueName: "q-3", resourceType: "local-process", resourceConfig: "{}"),
            caller: admin, now: "t2")
        let ml = try #require(state.entity(named: "ml"))
        let project = try #require(state.project(named: "model-registry", entityID: ml.id))
        let doomed = ["q-5", "q-6"].compactMap { state.runQueue(named: $0, projectID: project.id)?.id }
        try state.deleteRunQueues(ids: doomed, caller: admin)
        let queue = try #require(state.runQueue(named: "q-7", projectID: project.id))
        _ = try state.pushToRunQueue(queueID: queue.id, runSpec: "{}", templateVariableValues: nil, priority: nil, caller: admin, now: "t")
        _ = try state.pushToRunQueue(queueID: queue.id, runSpec: #"{"a":1}"#, templateVariableValues: nil, priority: nil, caller: admin, now: "t")
        _ = try state.invite(team: "ml", email: "Later@Example.com", username: nil, admin: false, caller: admin, now: "t")
        _ = try state.createServiceAccount(team: "vision", description: "ci", caller: admin, secret: String(repeating: "s", count: 40), now: "t")
        _ = try state.createUser(email: "later@example.com", admin: false, caller: admin, now: "t")
        return state
    }

    /// Every indexed lookup answers what a scan of the tables answers.
    static func expectIndexesAgree(_ state: SandboxState) {
        for queue in state.runQueues.values {
            #expect(state.runQueue(named: queue.name, projectID: queue.projectID)?.id == queue.id)
        }
        for project in state.projects.values {
            #expect(state.project(named: project.name, entityID: project.entityID)?.id == project.id)
            let scanned = state.runQueues.values.filter { $0.projectID == project.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.runQueues(projectID: project.id).map(\.id) == scanned)
        }
        for entity in state.entities.values {
            #expect(state.entity(named: entity.name)?.id == entity.id)
            let projects = state.projects.values.filter { $0.entityID == entity.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.projects(entityID: entity.id).map(\.id) == projects)
            let invites = state.invites.values.filter { $0.entityID == entity.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.pendingInvites(entityID: entity.id).map(\.id) == invites)
            let configs = state.resourceConfigs.values.filter { $0.entityID == entity.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.resourceConfigs(entityID: entity.id).map(\.id) == configs)
        }
        for user in state.users.values {
            #expect(state.user(username: user.username)?.id == user.id)
            if let email = user.email { #expect(state.user(email: email.uppercased())?.id == user.id) }
            let teams = state.entities.values.filter { $0.isTeam && $0.members.contains { $0.userID == user.id } }
            #expect(state.teams(of: user.id).map(\.id) == teams.sorted { $0.serial < $1.serial }.map(\.id))
            let keys = state.apiKeys.values.filter { $0.userID == user.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.apiKeys(userID: user.id).map(\.id) == keys)
        }
        for queue in state.runQueues.values {
            let items = state.runQueueItems.values.filter { $0.queueID == queue.id }.sorted { $0.serial < $1.serial }.map(\.id)
            #expect(state.items(queueID: queue.id).map(\.id) == items)
        }
    }

    @Test("lookups by name, parent and member agree with a scan, before and after a save and load")
    func indexesAgree() throws {
        let state = try Self.populated()
        #expect(state.runQueues.count == 58)
        #expect(state.user(email: "later@example.com") != nil)
        #expect(state.entity(named: "ml").map { $0.members.count } == 2, "the invite became a membership")
        #expect(state.invites.isEmpty)
        Self.expectIndexesAgree(state)

        let loaded = try JSONDecoder().decode(SandboxState.self, from: StateDocument(state).data())
        #expect(loaded.lastSerial == state.lastSerial)
        #expect(loaded.runQueues.count == state.runQueues.count && loaded.users.count == state.users.count)
        Self.expectIndexesAgree(loaded)
    }

    @Test("a snapshot keeps what it read while the state it came from is written")
    func snapshots() throws {
        var state = try Self.populated()
        let snapshot = state
        let admin = try #require(state.user(username: "admin"))
        let ml = try #require(state.entity(named: "ml"))
        let project = try #require(state.project(named: "model-registry", entityID: ml.id))
        _ = try state.upsertRunQueue(
            .init(entityName: "ml", projectName: "model-registry", queueName: "new", resourceType: "kubernetes", resourceConfig: "{}"),
            caller: admin, now: "t3")
        let deleted = try #require(state.runQueue(named: "q-0", projectID: project.id))
        try state.deleteRunQueues(ids: [deleted.id], caller: admin)

        #expect(snapshot.runQueue(named: "new", projectID: project.id) == nil)
        #expect(snapshot.runQueue(named: "q-0", projectID: project.id)?.id == deleted.id)
        #expect(snapshot.runQueues(projectID: project.id).count == 28)
        #expect(state.runQueues(projectID: project.id).count == 28)
        #expect(state.runQueue(named: "new", projectID: project.id) != nil && state.runQueue(named: "q-0", projectID: project.id) == nil)
        Self.expectIndexesAgree(snapshot)
        Self.expectIndexesAgree(state)
    }

    @Test("the document kept record by record decodes to what a document written from scratch decodes to")
    func incrementalDocument() throws {
        var state = try Self.populated()
        var document = try StateDocument(state)
        let admin = try #require(state.user(username: "admin"))
        state.changes = []
        _ = try state.upsertRunQueue(
            .init(entityName: "vision", projectName: "model-registry", queueName: "q-1", resourceType: "local-process",
                  resourceConfig: #"{"path":"a/b"}"#), caller: admin, now: "t4")
        let vision = try #require(state.entity(named: "vision"))
        let project = try #require(state.project(named: "model-registry", entityID: vision.id))
        let gone = try #require(state.runQueue(named: "q-2", projectID: project.id))
        try state.deleteRunQueues(ids: [gone.id], caller: admin)
        _ = try state.createTeam(name: "audio", adminUsername: nil, caller: admin, now: "t4")
        let changes = try #require(state.changes)
        #expect(changes.contains(SandboxTableKey(.runQueues, gone.id)) && changes.contains { $0.table == .entities })
        try document.update(changes, from: state)

        let incremental = try JSONSerialization.jsonObject(with: document.data()) as? NSDictionary
        let scratch = try JSONSerialization.jsonObject(with: StateDocument(state).data()) as? NSDictionary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let codable = try JSONSerialization.jsonObject(with: encoder.encode(state)) as? NSDictionary
        #expect(incremental != nil && incremental == scratch)
        #expect(incremental == codable, "the same document SandboxState's Codable conformance writes")
        #expect(((incremental?["runQueues"] as? NSDictionary)?[gone.id]) == nil)
        let text = String(decoding: document.data(), as: UTF8.self)
        #expect(text.contains("a/b") && !text.contains(#"a\/b"#), "slashes are not escaped")
    }
}
