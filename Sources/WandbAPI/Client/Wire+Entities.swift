import JSON
import WandbModel

extension Wire {
    /// Whether the errors of a `ReadEntities` answer only concern entities that are absent: `models(entityName:)`
    /// (and perhaps `project(entityName:)`) of an unknown entity is an error on W&B's schema, which only says what
    /// `m<i>: null` already says. Errors under `p<i>` or `q<i>` of such an entity are harmless; any other fails
    /// the read.
    static func areHarmless(_ errors: [GraphQLErrorEntry], in data: [String: JSONValue], entities count: Int) -> Bool {
        errors.allSatisfy { error in
            guard let alias = error.path.first, let prefix = alias.first, prefix == "p" || prefix == "q",
                let index = Int(alias.dropFirst()), (0..<count).contains(index)
            else { return false }
            return data["m\(index)"]?.isNull ?? true
        }
    }

    /// One entity of a `ReadEntities` answer (aliases `m<i>`, `q<i>`, `p<i>`) and the cursor of its next page
    /// of projects, if any.
    ///
    /// `m<i>: null` means the entity is absent or not visible to the API key (W&B answers the same for both);
    /// `q<i>: null` means its `model-registry` project is, so it has no queues this key can see. A non-null
    /// object without the list the read asked for is a `decoding` error: an empty list would plan wrong changes.
    static func entity(
        _ name: String, entity entityValue: JSONValue?, queues: JSONValue?, projects: JSONValue?, alias index: Int,
        parts: EntityReadParts, in operation: String
    ) throws -> (ObservedEntity, String?) {
        let visible = entityValue.map { !$0.isNull } ?? false
        var entity = ObservedEntity(name: name, exists: visible, parts: parts)
        if let entityValue, visible {
            entity.id = optionalString(entityValue["id"])
            entity.isTeam = entityValue["isTeam"]?.bool
            if parts.contains(.members) {
                guard let members = entityValue["members"]?.array else {
                    throw failure(operation, "m\(index).members of entity \(name) is missing or not a list")
                }
                entity.members = try members.map { try member($0, in: operation) }
            }
        }
        if parts.contains(.runQueues), let project = queues, !project.isNull {
            guard let list = project["runQueues"]?.array else {
                throw failure(operation, "q\(index).runQueues of entity \(name) is missing or not a list")
            }
            entity.runQueues = try list.map { value in
                var queue = try runQueue(value, entity: name, in: operation)
                if parts.contains(.backlog) { queue.backlog = backlog(of: value, entity: name, name: queue.name) }
                return queue
            }.sorted { $0.name < $1.name }
        }
        var cursor: String?
        if parts.contains(.projects) {
            let page = try projectPage(projects, entity: name, in: operation)
            entity.projects = page.projects.sorted { $0.name < $1.name }
            cursor = page.nextCursor
        }
        return (entity, cursor)
    }
}
