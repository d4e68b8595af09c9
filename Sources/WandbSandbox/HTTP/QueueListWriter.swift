import GraphQL

/// Writes a query's root `project(name:, entityName:) { runQueues { ... } }` fields straight to JSON, without
/// GraphQLSwift's executor, which spends a child task, an argument map and a resolve-info value on every field
/// of every queue (about 0.3 ms of CPU per queue: a 1,000-queue `ReadEntities` batch took ~320 ms).
///
/// Only plain selections qualify: fields of the names listed in ``fields`` (aliases allowed), each response key
/// once per selection set, no directives, fragments or arguments below the root field, the root field's
/// arguments string literals or string variables. Anything else, and every other root field, is left to the
/// executor. The executor still parses, validates, coerces the variables and runs the operation: it resolves a
/// root field written here to `null` (the field is nullable) and ``GraphQLResponseWriter`` puts this JSON in its
/// place. The values come from the same snapshot the executor reads, so nothing is cached and nothing can be
/// stale. `QueueListWriterTests` checks that the answers are the executor's, byte for byte.
struct QueueListWriter {
    /// The fields written here, by GraphQL type; `nil` marks a leaf, a type name a field with a sub-selection.
    static let fields: [String: [String: String?]] = [
        "Project": [
            "__typename": nil, "id": nil, "name": nil, "entityName": nil, "createdAt": nil, "updatedAt": nil,
            "isBenchmark": nil, "readOnly": nil, "description": nil, "access": nil, "views": nil, "runQueues": "RunQueue",
        ],
        "RunQueue": [
            "__typename": nil, "id": nil, "name": nil, "access": nil, "createdAt": nil, "updatedAt": nil, "createdBy": nil,
            "defaultResourceConfigID": nil, "entityName": nil, "prioritizationMode": nil, "externalLinks": nil,
            "defaultResourceConfig": "DefaultResourceConfig", "runQueueItems": "RunQueueItemConnection",
        ],
        "DefaultResourceConfig": [
            "__typename": nil, "id": nil, "resource": nil, "config": nil, "createdAt": nil, "updatedAt": nil,
            "templateVariables": "TemplateVariable", "scope": "DefaultResourceConfigScope",
        ],
        "TemplateVariable": ["__typename": nil, "name": nil, "description": nil, "schema": nil],
        "DefaultResourceConfigScope": ["__typename": nil, "ID": nil, "Type": nil],
        "RunQueueItemConnection": ["__typename": nil, "edges": "RunQueueItemEdge", "pageInfo": "PageInfo"],
        "RunQueueItemEdge": ["__typename": nil, "cursor": nil, "node": "RunQueueItem"],
        "RunQueueItem": [
            "__typename": nil, "id": nil, "createdAt": nil, "updatedAt": nil, "runSpec": nil, "state": nil,
            "associatedRunId": nil, "launchAgentId": nil,
        ],
        "PageInfo": ["__typename": nil, "startCursor": nil, "endCursor": nil, "hasNextPage": nil, "hasPreviousPage": nil],
    ]

    /// One selected field: its response key, its name, for object fields what is selected below it, and the
    /// paging arguments of `runQueueItems` (the only field below the root written with arguments; literals only).
    struct Selected {
        let key: String
        let name: String
        let below: [Selected]
        var first: Int?
        var after: String?

        /// Whether `runQueueItems` is selected here or below.
        var readsItems: Bool { name == "runQueueItems" || below.contains { $0.readsItems } }
    }

    /// A value the executor would not write the way this writer does (an enum value outside the schema, a
    /// missing non-null value): the field is left to the executor.
    struct Unwritable: Error {}

    let state: SandboxState
    let viewer: UserRecord

    /// The JSON text of every root field of `operation` this writer can answer, by response key.
    static func write(
        operation: OperationDefinition, variables: [String: Map], state: SandboxState, viewer: UserRecord
    ) -> [String: String] {
        guard operation.operation == .query else { return [:] }
        let roots = operation.selectionSet.selections
        // A fragment at the root could select the same response key again; leave such operations alone.
        guard roots.allSatisfy({ $0 is Field }) else { return [:] }
        let fields = roots.compactMap { $0 as? Field }
        var keyCounts: [String: Int] = [:]
        for field in fields { keyCounts[field.alias?.value ?? field.name.value, default: 0] += 1 }
        let writer = QueueListWriter(state: state, viewer: viewer)
        var written: [String: String] = [:]
        for field in fields where field.name.value == "project" && field.directives.isEmpty {
            let key = field.alias?.value ?? field.name.value
            guard keyCounts[key] == 1, let selectionSet = field.selectionSet,
                let below = selection(selectionSet, type: "Project"),
                let arguments = arguments(field.arguments, operation: operation, variables: variables)
            else { continue }
            var output = ""
            do {
                try writer.writeProject(
                    name: arguments["name"] ?? nil, entityName: arguments["entityName"] ?? nil, selection: below, to: &output)
            } catch {
                continue
            }
            written[key] = output
        }
        return written
    }

    /// The selection under a field of `type`, or `nil` when it is not plain enough.
    static func selection(_ selectionSet: SelectionSet, type: String) -> [Selected]? {
        guard let known = fields[type] else { return nil }
        var result: [Selected] = []
        var keys: Set<String> = []
        for node in selectionSet.selections {
            guard let field = node as? Field, field.directives.isEmpty, let child = known[field.name.value] else { return nil }
            var first: Int?
            var after: String?
            for argument in field.arguments {
                guard field.name.value == "runQueueItems" else { return nil }
                switch (argument.name.value, argument.value) {
                case ("first", let literal as IntValue): first = Int(literal.value)
                case ("after", let literal as StringValue): after = literal.value
                default: return nil
                }
            }
            let key = field.alias?.value ?? field.name.value
            guard keys.insert(key).inserted else { return nil }
            if let childType = child {
                guard let childSet = field.selectionSet, let below = selection(childSet, type: childType) else { return nil }
                result.append(Selected(key: key, name: field.name.value, below: below, first: first, after: after))
            } else {
                guard field.selectionSet == nil else { return nil }
                result.append(Selected(key: key, name: field.name.value, below: []))
            }
        }
        return result
    }

    /// `name` and `entityName` as strings or `nil` (absent or null); `nil` when an argument is anything else, a
    /// variable that is not a string, or a missing variable with a default value.
    static func arguments(_ arguments: [Argument], operation: OperationDefinition, variables: [String: Map]) -> [String: String?]? {
        var result: [String: String?] = [:]
        for argument in arguments {
            switch argument.value {
            case let literal as StringValue:
                result[argument.name.value] = literal.value
            case is NullValue:
                result[argument.name.value] = .some(nil)
            case let variable as Variable:
                let name = variable.name.value
                switch variables[name] {
                case .string(let value)?:
                    result[argument.name.value] = value
                case .null?:
                    result[argument.name.value] = .some(nil)
                case nil:
                    let definition = operation.variableDefinitions.first { $0.variable.name.value == name }
                    guard definition?.defaultValue == nil else { return nil }
                    result[argument.name.value] = .some(nil)
                default:
                    return nil
                }
            default:
                return nil
            }
        }
        return result
    }
}
