import Foundation
import JSON
import WandbAPI

/// What waits on one run queue: its pending items and when the oldest of them was pushed.
public struct QueueBacklog: Sendable, Hashable {
    public var entity: String
    public var queue: String
    /// Items in state `PENDING` among the first ``Observer/backlogPageSize`` the server lists.
    public var pendingItems: Int
    /// When the oldest pending item was pushed (`nil` when none waits).
    public var oldestPendingSince: Date?

    public init(entity: String, queue: String, pendingItems: Int, oldestPendingSince: Date?) {
        self.entity = entity
        self.queue = queue
        self.pendingItems = pendingItems
        self.oldestPendingSince = oldestPendingSince
    }

    /// Seconds the oldest pending item has waited at `now` (0 when none waits).
    public func oldestPendingSeconds(at now: Date) -> Double {
        oldestPendingSince.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }
}

extension Observer {
    /// How many items one backlog read lists per queue (as the SDK's `RunQueue.items`).
    public static let backlogPageSize = 100

    /// The queue items with their state and push time: `GetRunQueueItems`'s selection plus `createdAt` and `state`
    /// (the plan's own read, ``Operations/runQueueItems``, stays byte for byte the SDK's).
    public static let runQueueBacklog = GraphQLOperation(
        name: "GetRunQueueBacklog",
        kind: .query,
        document: """
            query GetRunQueueBacklog($projectName: String!, $entityName: String!, $runQueue: String!) {
                project(name: $projectName, entityName: $entityName) {
                    runQueue(name: $runQueue) {
                        runQueueItems(first: 100) { edges { node { id createdAt state } } }
                    }
                }
            }
            """)

    /// Reads the backlog of each of `queues` (one request per queue, a few at once). A queue that does not exist
    /// (yet) is left out; a queue whose read fails is left out too, and the failure is not thrown (the backlog is
    /// for monitoring: it never fails a reconcile).
    public func readBacklog(of queues: [(entity: String, name: String)]) async -> [QueueBacklog] {
        guard !queues.isEmpty else { return [] }
        let client = client
        return await withTaskGroup(of: QueueBacklog?.self) { group in
            var results: [QueueBacklog] = []
            var running = 0
            for queue in queues {
                if running >= Self.itemReadConcurrency, let result = await group.next() {
                    if let result { results.append(result) }
                    running -= 1
                }
                group.addTask { try? await Self.backlog(client: client, entity: queue.entity, queue: queue.name) }
                running += 1
            }
            for await result in group { if let result { results.append(result) } }
            return results.sorted { ($0.entity, $0.queue) < ($1.entity, $1.queue) }
        }
    }

    static func backlog(client: WandbClient, entity: String, queue: String) async throws -> QueueBacklog? {
        let data = try await client.execute(
            runQueueBacklog,
            variables: ["projectName": .string(Operations.launchProject), "entityName": .string(entity), "runQueue": .string(queue)])
        guard let project = data["project"], !project.isNull, let runQueue = project["runQueue"], !runQueue.isNull,
            let edges = runQueue["runQueueItems"]?["edges"]?.array
        else { return nil }
        var pending = 0
        var oldest: Date?
        for edge in edges {
            guard let node = edge["node"], node["state"]?.string == "PENDING" else { continue }
            pending += 1
            if let text = node["createdAt"]?.string, let date = parseTimestamp(text) { oldest = min(oldest ?? date, date) }
        }
        return QueueBacklog(entity: entity, queue: queue, pendingItems: pending, oldestPendingSince: oldest)
    }

    /// W&B's `DateTime`: ISO 8601, in UTC, with or without a zone designator and fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let zoned = text.hasSuffix("Z") || text.contains("+") ? text : text + "Z"
        if let date = try? Date(zoned, strategy: .iso8601) { return date }
        return try? Date(zoned, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
