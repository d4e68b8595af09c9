import Planning
import WandbAPI

extension Observer {
    /// Most item reads in flight at once.
    static let itemReadConcurrency = 4

    /// Reads how many items wait on each of `queues` (the SDK's `GetRunQueueItems`, one request per queue, a few at
    /// once) into ``ObservedState/Queue/pendingItems``. Only the queues a plan would delete are read: every other
    /// queue's items do not change the plan, and reading them on every round would cost one request per queue.
    /// A queue gone meanwhile counts as empty (its deletion then fails and the next round plans without it).
    public func readPendingItems(of queues: [(entity: String, name: String)], into observed: inout ObservedState) async throws {
        guard !queues.isEmpty else { return }
        let client = client
        let counts = try await withThrowingTaskGroup(of: (String, String, Int).self) { group in
            var results: [(String, String, Int)] = []
            var running = 0
            for queue in queues {
                if running >= Self.itemReadConcurrency, let result = try await group.next() {
                    results.append(result)
                    running -= 1
                }
                group.addTask { (queue.entity, queue.name, try await client.runQueueItemCount(entity: queue.entity, queue: queue.name) ?? 0) }
                running += 1
            }
            for try await result in group { results.append(result) }
            return results
        }
        for (entity, name, count) in counts { observed.entities[entity]?.queues[name]?.pendingItems = count }
    }
}
