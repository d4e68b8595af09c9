import JSON

extension WandbClient {
    /// How many items wait on a queue, read as the SDK's `RunQueue.items` reads them (``Operations/runQueueItems``:
    /// the first 100, every state the server lists). `nil` when the queue does not exist;
    /// ``Operations/runQueueItemsPageSize`` means "at least that many".
    /// - Throws: ``WandbAPIError`` when W&B cannot be read, or answers without the queue's item list.
    public func runQueueItemCount(entity: String, queue: String) async throws -> Int? {
        let operation = Operations.runQueueItems
        let data = try await execute(
            operation,
            variables: ["projectName": .string(Operations.launchProject), "entityName": .string(entity), "runQueue": .string(queue)])
        guard let project = data["project"], !project.isNull, let runQueue = project["runQueue"], !runQueue.isNull else { return nil }
        guard let edges = runQueue["runQueueItems"]?["edges"]?.array else {
            throw WandbAPIError(code: .decoding, message: "the run queue \(entity)/\(queue) came without runQueueItems.edges", operation: operation.name)
        }
        return edges.count
    }
}
