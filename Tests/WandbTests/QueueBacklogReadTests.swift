import Foundation
import JSON
import Testing
import TestSupport
@testable import WandbAPI
import WandbModel
import WandbSandbox

/// The queue backlog (issue 15) comes in the batched entity read (``EntityReadParts/backlog``): each queue's first
/// 100 items with `createdAt` and `state`, no request per queue; and a backlog the server cannot answer never fails
/// the read.
@Suite("Client: the queue backlog in the batched entity read", .serialized)
struct QueueBacklogReadTests {
    /// Team `ml` with queue `q` holding two pushed items (``SandboxQueueItemsTests/queueWithTwoItems(_:)``), plus
    /// `extra` empty queues `e0`, `e1`, ... and a second team `ops` with one empty queue `o`.
    static func queues(_ sandbox: TestSandbox, extra: Int) async throws {
        _ = try await SandboxQueueItemsTests.queueWithTwoItems(sandbox)
        var mutations = [
            #"mutation { createTeam(input: {teamName: "ops", teamAdminUserName: "admin"}) { entity { id } } }"#,
            #"mutation { upsertModel(input: {entityName: "ops", name: "model-registry"}) { project { id } } }"#,
            #"mutation { upsertRunQueue(input: {entityName: "ops", projectName: "model-registry", queueName: "o", resourceType: "local-process", resourceConfig: "{\"resource_args\":{\"local-process\":{}}}"}) { success } }"#,
        ]
        for index in 0..<extra {
            mutations.append(
                #"mutation { upsertRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: "e\#(index)", resourceType: "local-process", resourceConfig: "{\"resource_args\":{\"local-process\":{}}}"}) { success } }"#)
        }
        for mutation in mutations {
            let answer = try await sandbox.graphql(mutation)
            try #require(answer.errorMessages.isEmpty, "\(answer.text)")
        }
    }

    /// Requests by operation between two counter readings.
    static func delta(_ before: SandboxCounters, _ after: SandboxCounters) -> [String: Int] {
        after.requestsByOperation.reduce(into: [:]) { delta, entry in
            let count = entry.value - before[entry.key]
            if count != 0 { delta[entry.key] = count }
        }
    }

    @Test("only a backlog read selects the items; plan, apply and import documents stay as they were")
    func documents() {
        let plain = Operations.readEntities(count: 2, parts: .all)
        let withBacklog = Operations.readEntities(count: 2, parts: [.all, .backlog])
        #expect(!plain.document.contains("runQueueItems"), "\(plain.document)")
        #expect(!EntityReadParts.all.contains(.backlog))
        // The SDK's connection and page size (GetRunQueueItems), once per `runQueues` selection.
        #expect(withBacklog.document.components(separatedBy: "runQueueItems(first: 100)").count == 3, "\(withBacklog.document)")
        #expect(withBacklog.document.contains("createdAt\n") && withBacklog.document.contains("state\n"))
        #expect(withBacklog.document.replacingOccurrences(of: Operations.backlogSelectionIndented(6), with: "") == plain.document)
        #expect(!Operations.all.contains { $0.name == "GetRunQueueBacklog" })
    }

    @Test("N queues: their backlog costs no request beyond the entity read", .timeLimit(.minutes(2)))
    func noExtraRequests() async throws {
        try await TestSandbox.with { sandbox in
            let extra = 30
            try await Self.queues(sandbox, extra: extra)
            let client = try sandbox.client()
            let pushedBy = Date()

            let start = await sandbox.server.counters()
            let plain = try await client.readEntities(["ml", "ops"], including: .all)
            let middle = await sandbox.server.counters()
            let read = try await client.readEntities(["ml", "ops"], including: [.all, .backlog])
            let end = await sandbox.server.counters()

            let withoutBacklog = Self.delta(start, middle)
            let withBacklog = Self.delta(middle, end)
            #expect(withBacklog == ["ReadEntities": 1], "\(withBacklog)")
            #expect(withBacklog == withoutBacklog, "the backlog must not add a request: \(withBacklog) vs \(withoutBacklog)")

            let queues = try #require(read["ml"]?.runQueues)
            #expect(queues.count == extra + 1)
            #expect(queues.allSatisfy { $0.backlog != nil }, "every queue's backlog comes with it")
            let q = try #require(queues.first { $0.name == "q" }?.backlog)
            #expect(q.entity == "ml" && q.queue == "q" && q.pendingItems == 2, "\(q)")
            let since = try #require(q.oldestPendingSince)
            // The sandbox stamps whole seconds.
            #expect(since <= pushedBy.addingTimeInterval(1) && since > pushedBy.addingTimeInterval(-120), "\(since) vs \(pushedBy)")
            #expect(queues.first { $0.name == "e0" }?.backlog == QueueBacklog(entity: "ml", queue: "e0", pendingItems: 0, oldestPendingSince: nil))
            #expect(read["ops"]?.runQueues.first?.backlog?.pendingItems == 0)
            // Everything else is what a read without the backlog returns.
            let stripped = read.mapValues { entity in
                var entity = entity
                entity.parts.remove(.backlog)
                entity.runQueues = entity.runQueues.map { queue in
                    var queue = queue
                    queue.backlog = nil
                    return queue
                }
                return entity
            }
            #expect(stripped == plain)
            #expect(plain["ml"]?.runQueues.allSatisfy { $0.backlog == nil } == true)
        }
    }

    @Test("a backlog the server cannot answer leaves it out and does not fail the read", .timeLimit(.minutes(2)))
    func unreadableBacklog() async throws {
        let folder = try Repository.temporaryFolder("launchq-backlog-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        let statePath = folder.appendingPathComponent("state.json").path
        try await TestSandbox.with({ $0.statePath = statePath }) { sandbox in
            try await Self.queues(sandbox, extra: 2)
        }
        // An item in a state the schema's enum cannot express: the server fails `runQueueItems` of queue `q`, and
        // the error takes the whole `q<i>` alias with it (RunQueue! inside [RunQueue!]!).
        var state = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: statePath))))
        guard case .object(var members) = state, case .object(var items)? = members["runQueueItems"], let first = items.keys.sorted().first,
            case .object(var item)? = items[first]
        else {
            Issue.record("the state file has no run queue items")
            return
        }
        item["state"] = .string("MISPLACED")
        items[first] = .object(item)
        members["runQueueItems"] = .object(items)
        state = .object(members)
        try Data(CanonicalJSON.string(state).utf8).write(to: URL(fileURLWithPath: statePath))

        try await TestSandbox.with({ $0.statePath = statePath }) { sandbox in
            let client = try sandbox.client()
            let plain = try await client.readEntities(["ml", "ops"], including: .all)
            let before = await sandbox.server.counters()
            let read = try await client.readEntities(["ml", "ops"], including: [.all, .backlog])
            let after = await sandbox.server.counters()
            // The batch with the backlog failed; the same batch without it answered.
            #expect(Self.delta(before, after) == ["ReadEntities": 2], "\(Self.delta(before, after))")
            #expect(read == plain, "the entities are read in full, without a backlog")
            #expect(read["ml"]?.runQueues.map(\.name) == ["e0", "e1", "q"])
            #expect(read.values.allSatisfy { $0.runQueues.allSatisfy { $0.backlog == nil } })
        }
    }

    @Test("an answer without a readable item list gives no backlog, not an error")
    func lenientDecoding() throws {
        let queue: JSONValue = ["id": "Q1", "name": "q"]
        #expect(Wire.backlog(of: queue, entity: "ml", name: "q") == nil)
        #expect(Wire.backlog(of: ["id": "Q1", "name": "q", "runQueueItems": .null], entity: "ml", name: "q") == nil)
        #expect(Wire.backlog(of: ["id": "Q1", "name": "q", "runQueueItems": ["edges": "x"]], entity: "ml", name: "q") == nil)
        let edges: JSONValue = [
            "edges": [
                ["node": ["id": "a", "createdAt": "2026-11-30T10:00:05", "state": "PENDING"]],
                ["node": ["id": "b", "createdAt": "2026-11-30T10:00:01.250Z", "state": "PENDING"]],
                ["node": ["id": "c", "createdAt": "2026-11-30T09:00:00", "state": "CLAIMED"]],
                ["node": ["id": "d", "createdAt": "not a time", "state": "PENDING"]],
                ["node": ["id": "e", "state": .null]],
            ]
        ]
        let backlog = try #require(Wire.backlog(of: ["id": "Q1", "name": "q", "runQueueItems": edges], entity: "ml", name: "q"))
        #expect(backlog.pendingItems == 3)
        #expect(backlog.oldestPendingSince == Wire.timestamp("2026-11-30T10:00:01.250Z"))
        #expect(backlog.oldestPendingSince != nil)
        #expect(Wire.timestamp("2026-11-30T10:00:05") == Wire.timestamp("2026-11-30T10:00:05Z"))
    }
}

extension Operations {
    /// ``backlogSelection`` as it appears in a `ReadEntities` document (indented under `runQueues`, after a newline).
    static func backlogSelectionIndented(_ indent: Int) -> String {
        let padding = String(repeating: " ", count: indent)
        return "\n" + backlogSelection.split(separator: "\n").map { padding + $0 }.joined(separator: "\n")
    }
}
