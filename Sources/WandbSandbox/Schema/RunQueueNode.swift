import GraphQL

/// `RunQueue`.
struct RunQueueNode: GraphQLNode {
    let state: SandboxState
    let queue: RunQueueRecord

    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)? {
        switch field {
        case "id": return queue.id
        case "name": return queue.name
        case "access": return queue.access
        case "createdAt": return queue.createdAt
        case "updatedAt": return queue.updatedAt
        case "createdBy": return queue.createdBy
        case "defaultResourceConfigID": return queue.defaultResourceConfigID
        case "entityName": return state.entities[queue.entityID]?.name
        case "defaultResourceConfig":
            return queue.defaultResourceConfigID.flatMap { state.resourceConfigs[$0] }.map { ResourceConfigNode(state: state, config: $0) }
        case "prioritizationMode": return queue.prioritizationMode
        case "externalLinks": return queue.externalLinks?.map
        case "runQueueItem":
            guard let id = arguments[string: "id"], let item = state.runQueueItems[id], item.queueID == queue.id else { return nil }
            return RunQueueItemNode.object(item)
        case "runQueueItems":
            return try Connection.page(
                state.items(queueID: queue.id), serial: \.serial, first: arguments[int: "first"],
                after: arguments[string: "after"], node: { RunQueueItemNode.object($0) })
        default: return nil
        }
    }
}

/// `RunQueueItem`.
enum RunQueueItemNode {
    static func object(_ item: RunQueueItemRecord) -> Object {
        [
            "id": item.id, "createdAt": item.createdAt, "updatedAt": item.createdAt,
            "runSpec": item.runSpec.map, "state": item.state,
            "associatedRunId": nil as String?, "launchAgentId": nil as String?,
        ]
    }
}
