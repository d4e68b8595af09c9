/// The values of the fields ``QueueListWriter`` writes: what the resolvers (`ProjectNode`, `RunQueueNode`,
/// `ResourceConfigNode`) answer, serialized as the executor and ``GraphQLResponseWriter`` would.
extension QueueListWriter {
    /// `project(name:, entityName:)` as `QueryRoot` resolves it: `null` without a name, entity or project.
    func writeProject(
        name: String?, entityName: String?, selection: [Selected], to output: inout String
    ) throws(Unwritable) {
        guard let name, let entityName = entityName ?? viewer.entityName, let entity = state.entity(named: entityName),
            let project = state.project(named: name, entityID: entity.id)
        else {
            output += "null"
            return
        }
        try writeObject(selection, to: &output) { field, output throws(Unwritable) in
            switch field.name {
            case "__typename": Self.string("Project", to: &output)
            case "id": Self.string(project.id, to: &output)
            case "name": Self.string(project.name, to: &output)
            case "entityName":
                guard let entityName = state.entities[project.entityID]?.name else { throw Unwritable() }
                Self.string(entityName, to: &output)
            case "createdAt": Self.string(project.createdAt, to: &output)
            case "updatedAt": Self.string(project.updatedAt, to: &output)
            case "isBenchmark", "readOnly": output += "false"
            case "description": Self.string(project.description, to: &output)
            case "access": Self.string(project.access, to: &output)
            case "views": Self.string(project.views, to: &output)
            case "runQueues":
                output += "["
                let readsItems = field.below.contains(where: \.readsItems)
                for (index, queue) in state.runQueues(projectID: project.id).enumerated() {
                    if index > 0 { output += "," }
                    try writeQueue(queue, selection: field.below, items: readsItems ? state.items(queueID: queue.id) : [], to: &output)
                }
                output += "]"
            default: throw Unwritable()
            }
        }
    }

    private func writeQueue(
        _ queue: RunQueueRecord, selection: [Selected], items: [RunQueueItemRecord], to output: inout String
    ) throws(Unwritable) {
        try writeObject(selection, to: &output) { field, output throws(Unwritable) in
            switch field.name {
            case "__typename": Self.string("RunQueue", to: &output)
            case "id": Self.string(queue.id, to: &output)
            case "name": Self.string(queue.name, to: &output)
            case "access": try Self.enumValue(queue.access, of: ["PROJECT", "USER"], to: &output)
            case "createdAt": Self.string(queue.createdAt, to: &output)
            case "updatedAt": Self.string(queue.updatedAt, to: &output)
            case "createdBy": output += String(queue.createdBy)
            case "defaultResourceConfigID": Self.string(queue.defaultResourceConfigID, to: &output)
            case "entityName":
                guard let entityName = state.entities[queue.entityID]?.name else { throw Unwritable() }
                Self.string(entityName, to: &output)
            case "prioritizationMode": try Self.enumValue(queue.prioritizationMode, of: ["DISABLED", "V0"], to: &output)
            case "externalLinks":
                if let links = queue.externalLinks { Self.json(links, to: &output) } else { output += "null" }
            case "defaultResourceConfig":
                if let config = queue.defaultResourceConfigID.flatMap({ state.resourceConfigs[$0] }) {
                    try writeConfig(config, selection: field.below, to: &output)
                } else {
                    output += "null"
                }
            case "runQueueItems": try writeItems(items, field: field, to: &output)
            default: throw Unwritable()
            }
        }
    }

    /// `runQueueItems(first:, after:)` as `Connection.page` pages them (a bad cursor or a negative `first` is the
    /// executor's error to report).
    private func writeItems(_ items: [RunQueueItemRecord], field: Selected, to output: inout String) throws(Unwritable) {
        let page: [RunQueueItemRecord]
        let hasNextPage: Bool
        let hasPreviousPage: Bool
        do {
            var remaining = items[...]
            if let after = field.after, !after.isEmpty {
                guard after.hasPrefix("cursor:"), let afterSerial = Int(after.dropFirst("cursor:".count)) else { throw Unwritable() }
                remaining = remaining.drop { $0.serial <= afterSerial }
            }
            if let first = field.first, first < 0 { throw Unwritable() }
            page = field.first.map { Array(remaining.prefix($0)) } ?? Array(remaining)
            hasNextPage = page.count < remaining.count
            hasPreviousPage = remaining.startIndex > items.startIndex
        }
        try writeObject(field.below, to: &output) { field, output throws(Unwritable) in
            switch field.name {
            case "__typename": Self.string("RunQueueItemConnection", to: &output)
            case "edges":
                output += "["
                for (index, item) in page.enumerated() {
                    if index > 0 { output += "," }
                    try writeObject(field.below, to: &output) { field, output throws(Unwritable) in
                        switch field.name {
                        case "__typename": Self.string("RunQueueItemEdge", to: &output)
                        case "cursor": Self.string(Connection.cursor(item.serial), to: &output)
                        case "node": try writeItem(item, selection: field.below, to: &output)
                        default: throw Unwritable()
                        }
                    }
                }
                output += "]"
            case "pageInfo":
                try writeObject(field.below, to: &output) { field, output throws(Unwritable) in
                    switch field.name {
                    case "__typename": Self.string("PageInfo", to: &output)
                    case "startCursor": Self.string(page.first.map { Connection.cursor($0.serial) }, to: &output)
                    case "endCursor": Self.string(page.last.map { Connection.cursor($0.serial) }, to: &output)
                    case "hasNextPage": output += hasNextPage ? "true" : "false"
                    case "hasPreviousPage": output += hasPreviousPage ? "true" : "false"
                    default: throw Unwritable()
                    }
                }
            default: throw Unwritable()
            }
        }
    }

    /// A `RunQueueItem` as `RunQueueItemNode` answers it.
    private func writeItem(_ item: RunQueueItemRecord, selection: [Selected], to output: inout String) throws(Unwritable) {
        try writeObject(selection, to: &output) { field, output throws(Unwritable) in
            switch field.name {
            case "__typename": Self.string("RunQueueItem", to: &output)
            case "id": Self.string(item.id, to: &output)
            case "createdAt", "updatedAt": Self.string(item.createdAt, to: &output)
            case "runSpec":
                // `JSON!`: a null spec is the executor's error to report (stored specs are objects).
                guard item.runSpec != .null else { throw Unwritable() }
                Self.json(item.runSpec, to: &output)
            case "state": try Self.enumValue(item.state, of: ["CLAIMED", "FAILED", "LEASED", "PENDING"], to: &output)
            case "associatedRunId", "launchAgentId": output += "null"
            default: throw Unwritable()
            }
        }
    }

    private func writeConfig(_ config: ResourceConfigRecord, selection: [Selected], to output: inout String) throws(Unwritable) {
        try writeObject(selection, to: &output) { field, output throws(Unwritable) in
            switch field.name {
            case "__typename": Self.string("DefaultResourceConfig", to: &output)
            case "id": Self.string(config.id, to: &output)
            case "resource": Self.string(config.resource, to: &output)
            case "config": Self.json(config.config, to: &output)
            case "createdAt": Self.string(config.createdAt, to: &output)
            case "updatedAt": Self.string(config.updatedAt, to: &output)
            case "templateVariables":
                output += "["
                for (index, variable) in config.templateVariables.enumerated() {
                    if index > 0 { output += "," }
                    try writeObject(field.below, to: &output) { field, output throws(Unwritable) in
                        switch field.name {
                        case "__typename": Self.string("TemplateVariable", to: &output)
                        case "name": Self.string(variable.name, to: &output)
                        case "description": Self.string(variable.description, to: &output)
                        case "schema": Self.string(variable.schema, to: &output)
                        default: throw Unwritable()
                        }
                    }
                }
                output += "]"
            case "scope":
                // As `ResourceConfigNode` computes it.
                let projectScoped = config.projectID != nil
                let serial = projectScoped
                    ? config.projectID.flatMap { state.projects[$0]?.serial } ?? 0
                    : state.entities[config.entityID]?.serial ?? 0
                try writeObject(field.below, to: &output) { field, output throws(Unwritable) in
                    switch field.name {
                    case "__typename": Self.string("DefaultResourceConfigScope", to: &output)
                    case "ID": output += String(serial)
                    case "Type": output += projectScoped ? "\"PROJECT\"" : "\"ENTITY\""
                    default: throw Unwritable()
                    }
                }
            default: throw Unwritable()
            }
        }
    }

    /// `{"key":value,...}` in selection order.
    private func writeObject(
        _ selection: [Selected], to output: inout String,
        value: (Selected, inout String) throws(Unwritable) -> Void
    ) throws(Unwritable) {
        output += "{"
        for (index, field) in selection.enumerated() {
            if index > 0 { output += "," }
            JSONValue.writeQuoted(field.key, to: &output)
            output += ":"
            try value(field, &output)
        }
        output += "}"
    }

    private static func string(_ value: String?, to output: inout String) {
        if let value { JSONValue.writeQuoted(value, to: &output) } else { output += "null" }
    }

    /// An enum value the schema has; anything else is left to the executor (which reports it as an error).
    private static func enumValue(_ value: String, of allowed: Set<String>, to output: inout String) throws(Unwritable) {
        guard allowed.contains(value) else { throw Unwritable() }
        JSONValue.writeQuoted(value, to: &output)
    }

    /// A `JSON` scalar as the executor writes it: the value goes through `JSONValue.map` (integers that fit `Int`
    /// stay integers, other numbers become `Double`s) and ``GraphQLResponseWriter`` writes the `Map`. Object keys
    /// are unique in stored values (the parser keeps the last duplicate), so the order is the stored one.
    static func json(_ value: JSONValue, to output: inout String) {
        value.write(to: &output) { lexeme, output in
            if let integer = Int(lexeme) {
                output += String(integer)
            } else {
                GraphQLResponseWriter.write(Double(lexeme) ?? 0, to: &output)
            }
        }
    }
}
