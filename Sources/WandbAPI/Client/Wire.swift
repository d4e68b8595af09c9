import JSON
import WandbModel

/// Mapping of answer JSON to the model types: pure, no I/O. Every function throws a
/// `decoding` ``WandbAPIError`` naming the field that does not fit.
enum Wire {
    static func failure(_ operation: String, _ message: String) -> WandbAPIError {
        WandbAPIError(code: .decoding, message: message, operation: operation)
    }

    /// A required string (IDs may come as numbers from lax servers; they are accepted).
    static func string(_ value: JSONValue?, _ field: String, in operation: String) throws -> String {
        switch value {
        case .string(let text)?: return text
        case .integer(let number)?: return String(number)
        default: throw failure(operation, "\(field) is missing or not a string")
        }
    }

    static func optionalString(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .integer(let number)?: return String(number)
        default: return nil
        }
    }

    /// A `JSON` field that lax servers may send as a JSON string: parsed when it is one.
    static func jsonValue(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return (try? JSONValue(parsing: text)) ?? .string(text)
        case let other?: return other
        }
    }

    /// A queue of the `runQueues` list. Fields the planner compares are required: a missing `prioritizationMode`
    /// or `access`, or a null `defaultResourceConfig` while `defaultResourceConfigID` is set, is a `decoding`
    /// error naming the field (a default would become a wrong plan).
    static func runQueue(_ value: JSONValue, entity: String, in operation: String) throws -> ObservedRunQueue {
        guard value.object != nil else { throw failure(operation, "a run queue of \(entity) is not an object") }
        let name = try string(value["name"], "runQueue.name", in: operation)
        let prioritizationMode = try string(
            value["prioritizationMode"], "runQueue.prioritizationMode of queue \(entity)/\(name)", in: operation)
        let access = try string(value["access"], "runQueue.access of queue \(entity)/\(name)", in: operation)
        let configID = optionalString(value["defaultResourceConfigID"])
        let config = value["defaultResourceConfig"]
        if let configID, config?.object == nil {
            throw failure(
                operation,
                "runQueue.defaultResourceConfig of queue \(entity)/\(name) is null although defaultResourceConfigID is \(configID)")
        }
        var templateVariables: [String: ObservedTemplateVariable] = [:]
        for item in config?["templateVariables"]?.array ?? [] {
            let variableName = try string(item["name"], "templateVariables.name of queue \(name)", in: operation)
            let schemaJSON: String
            switch item["schema"] {
            case .string(let text)?: schemaJSON = text
            case let other? where !other.isNull: schemaJSON = CanonicalJSON.string(other)
            default: schemaJSON = "{}"
            }
            templateVariables[variableName] = ObservedTemplateVariable(
                name: variableName, description: optionalString(item["description"]), schemaJSON: schemaJSON)
        }
        return ObservedRunQueue(
            id: try string(value["id"], "runQueue.id of queue \(name)", in: operation),
            entity: optionalString(value["entityName"]) ?? entity,
            name: name,
            resourceType: optionalString(config?["resource"]),
            wrappedConfig: jsonValue(config?["config"]),
            templateVariables: templateVariables,
            prioritizationMode: PrioritizationMode(rawValue: prioritizationMode),
            externalLinksJSON: jsonValue(value["externalLinks"]),
            access: RunQueueAccess(rawValue: access),
            defaultResourceConfigID: configID ?? optionalString(config?["id"])
        )
    }

    static func member(_ value: JSONValue, in operation: String) throws -> ObservedTeamMember {
        ObservedTeamMember(
            id: optionalString(value["id"]),
            username: optionalString(value["username"]),
            email: optionalString(value["email"]),
            name: try string(value["name"], "member.name", in: operation),
            admin: value["admin"]?.bool ?? false,
            pending: value["pending"]?.bool ?? false,
            accountType: optionalString(value["accountType"]),
            role: optionalString(value["role"])
        )
    }

    static func project(_ value: JSONValue, entity: String, in operation: String) throws -> ObservedProject {
        ObservedProject(
            id: try string(value["id"], "project.id", in: operation),
            name: try string(value["name"], "project.name", in: operation),
            entity: optionalString(value["entityName"]) ?? entity,
            description: optionalString(value["description"]),
            access: optionalString(value["access"]),
            createdAt: optionalString(value["createdAt"])
        )
    }

    /// A project connection page: its projects and the cursor of the next page, if any.
    static func projectPage(_ value: JSONValue?, entity: String, in operation: String) throws
        -> (projects: [ObservedProject], nextCursor: String?)
    {
        guard let value, !value.isNull else { return ([], nil) }
        let projects = try (value["edges"]?.array ?? []).compactMap { edge -> ObservedProject? in
            guard let node = edge["node"], !node.isNull else { return nil }
            return try project(node, entity: entity, in: operation)
        }
        let more = value["pageInfo"]?["hasNextPage"]?.bool ?? false
        let cursor = optionalString(value["pageInfo"]?["endCursor"])
        return (projects, more ? cursor : nil)
    }

    static func user(_ value: JSONValue, in operation: String) throws -> ObservedUser {
        let teams = (value["teams"]?["edges"]?.array ?? []).compactMap { optionalString($0["node"]?["name"]) }
        return ObservedUser(
            id: try string(value["id"], "user.id", in: operation),
            name: optionalString(value["name"]),
            username: optionalString(value["username"]),
            email: optionalString(value["email"]),
            admin: value["admin"]?.bool ?? false,
            entity: optionalString(value["entity"]),
            teams: teams,
            deleted: !(value["deletedAt"]?.isNull ?? true)
        )
    }

    static func users(_ connection: JSONValue?, in operation: String) throws -> [ObservedUser] {
        try (connection?["edges"]?.array ?? []).compactMap { edge in
            guard let node = edge["node"], !node.isNull else { return nil }
            return try user(node, in: operation)
        }
    }
}
