/// Default resource configs, run queues and queue items.
extension SandboxState {
    /// Resource types the sandbox accepts: the SDK's five plus `vertex` (the agent's alias of `gcp-vertex`).
    static let resourceTypes: Set<String> = ["local-container", "local-process", "kubernetes", "sagemaker", "gcp-vertex", "vertex"]

    static func validateResource(_ resource: String) throws(SandboxError) {
        guard resourceTypes.contains(resource) else {
            throw .invalidInput("invalid resource type \"\(resource)\": expected one of \(resourceTypes.sorted().joined(separator: ", "))")
        }
    }

    static func validateQueueName(_ name: String) throws(SandboxError) {
        guard !name.isEmpty, name.count <= 64 else { throw .invalidInput("run queue name must be 1-64 characters") }
    }

    /// Turns the `templateVariables` map that clients send (`{"<name>": {"schema": {...}, "description": "..."}}`)
    /// into the list the server returns (`[{name, description, schema: "<JSON text>"}]`), in the order sent.
    /// `nil`, `null` and `{}` mean none.
    static func templateVariables(from text: String?) throws(SandboxError) -> [TemplateVariableRecord] {
        guard let text else { return [] }
        let value = try JSONText.parse(text, field: "templateVariables")
        if value == .null { return [] }
        guard let members = value.objectMembers else {
            throw .invalidInput("templateVariables must be a JSON object mapping variable names to {\"schema\": {...}}")
        }
        var result: [TemplateVariableRecord] = []
        for (name, declaration) in members {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw .invalidInput("templateVariables: invalid variable name \"\(name)\"")
            }
            guard declaration.objectMembers != nil else {
                throw .invalidInput("templateVariables.\(name) must be an object with a \"schema\" object")
            }
            guard let schema = declaration["schema"], case .object = schema else {
                throw .invalidInput("templateVariables.\(name).schema must be a JSON object")
            }
            let description: String?
            switch declaration["description"] {
            case nil, .null?: description = nil
            case .string(let text)?: description = text
            default: throw .invalidInput("templateVariables.\(name).description must be a string")
            }
            result.append(TemplateVariableRecord(name: name, description: description, schema: schema.compactText))
        }
        return result
    }

    /// Names used as `{{name}}` in string values of `config` that are not declared: reported (not refused) by
    /// `upsertRunQueue` as `configSchemaValidationErrors`.
    static func undeclaredPlaceholders(in config: JSONValue, declared: [TemplateVariableRecord]) -> [String] {
        let names = Set(declared.map(\.name))
        var found: [String] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .string(let text):
                for name in TemplatePlaceholders.names(in: text) where !names.contains(name) && !found.contains(name) {
                    found.append(name)
                }
            case .array(let values): values.forEach(visit)
            case .object(let members): members.forEach { visit($0.value) }
            default: break
            }
        }
        visit(config)
        return found.map { "template variable \"\($0)\" is used in the config but not declared" }
    }

    /// `createDefaultResourceConfig(input:)`: entity admins only.
    mutating func createResourceConfig(
        entityName: String?, projectName: String?, resource: String, config: String, templateVariables: String?,
        caller: UserRecord, now: String
    ) throws(SandboxError) -> ResourceConfigRecord {
        let entity = try requireEntity(entityName)
        try requireAdministrator(of: entity, caller: caller, to: "create resource configs")
        let project = try projectName.map { name throws(SandboxError) in try requireProject(name, in: entity) }
        try Self.validateResource(resource)
        let parsed = try JSONText.parseObject(config, field: "config")
        let variables = try Self.templateVariables(from: templateVariables)
        let (id, serial) = mintID("DefaultResourceConfig")
        let record = ResourceConfigRecord(
            id: id, serial: serial, entityID: entity.id, projectID: project?.id, resource: resource,
            config: parsed, templateVariables: variables, createdAt: now, updatedAt: now)
        put(record)
        return record
    }

    /// `updateDefaultResourceConfig(input:)`: replaces the config (and resource type when given).
    mutating func updateResourceConfig(id: String, resource: String?, config: String, caller: UserRecord, now: String) throws(SandboxError) -> ResourceConfigRecord {
        guard var record = resourceConfigs[id], let entity = entities[record.entityID] else {
            throw .notFound("default resource config \"\(id)\" not found")
        }
        try requireAdministrator(of: entity, caller: caller, to: "update resource configs")
        if let resource {
            try Self.validateResource(resource)
            record.resource = resource
        }
        record.config = try JSONText.parseObject(config, field: "config")
        record.updatedAt = now
        put(record)
        return record
    }

    /// `deleteDefaultResourceConfigs(input:)`: all or nothing; a config still used by a queue is refused.
    mutating func deleteResourceConfigs(ids: [String], caller: UserRecord) throws(SandboxError) -> Int {
        for id in ids {
            guard let record = resourceConfigs[id], let entity = entities[record.entityID] else {
                throw .notFound("default resource config \"\(id)\" not found")
            }
            try requireAdministrator(of: entity, caller: caller, to: "delete resource configs")
            if let queue = runQueues(resourceConfigID: id).first {
                throw .invalidInput("default resource config \"\(id)\" is used by run queue \"\(queue.name)\"")
            }
        }
        for id in ids { removeResourceConfig(id: id) }
        return Set(ids).count
    }

    /// `createRunQueue(input:)`: the project must exist, the name must be free in it; entity admins only.
    mutating func createRunQueue(
        entityName: String?, projectName: String?, queueName: String, access: String, prioritizationMode: String?,
        defaultResourceConfigID: String?, caller: UserRecord, now: String
    ) throws(SandboxError) -> RunQueueRecord {
        let entity = try requireEntity(entityName)
        try requireAdministrator(of: entity, caller: caller, to: "create run queues")
        let project = try requireProject(projectName, in: entity)
        try Self.validateQueueName(queueName)
        if runQueue(named: queueName, projectID: project.id) != nil {
            throw .alreadyExists("run queue \"\(queueName)\" already exists in \(entity.name)/\(project.name)")
        }
        if let configID = defaultResourceConfigID {
            guard let config = resourceConfigs[configID], config.entityID == entity.id else {
                throw .notFound("default resource config \"\(configID)\" not found in entity \"\(entity.name)\"")
            }
        }
        let (id, serial) = mintID("RunQueue")
        let queue = RunQueueRecord(
            id: id, serial: serial, entityID: entity.id, projectID: project.id, name: queueName, access: access,
            prioritizationMode: prioritizationMode ?? "DISABLED", defaultResourceConfigID: defaultResourceConfigID,
            externalLinks: nil, createdBy: caller.serial, createdAt: now, updatedAt: now)
        put(queue)
        return queue
    }

    /// The fields of `UpsertRunQueueInput`.
    struct RunQueueUpsert: Sendable {
        var entityName: String?
        var projectName: String?
        var queueName: String
        var resourceType: String
        var resourceConfig: String
        var templateVariables: String?
        var prioritizationMode: String?
        var externalLinks: String?
    }

    /// `upsertRunQueue(input:)`: creates the queue (access `PROJECT`) with a new default resource config, or
    /// replaces an existing queue's whole definition: resource type, config, template variables, prioritization
    /// mode (`null` = `DISABLED`) and external links (`null` = none). The queue's id and its config's id are
    /// kept. A `V0` queue cannot go back to `DISABLED`. Entity admins only. Returns the queue and the
    /// config validation messages.
    mutating func upsertRunQueue(_ input: RunQueueUpsert, caller: UserRecord, now: String) throws(SandboxError) -> (RunQueueRecord, [String]) {
        let entity = try requireEntity(input.entityName)
        try requireAdministrator(of: entity, caller: caller, to: "create run queues")
        let project = try requireProject(input.projectName, in: entity)
        try Self.validateQueueName(input.queueName)
        try Self.validateResource(input.resourceType)
        let config = try JSONText.parseObject(input.resourceConfig, field: "resourceConfig")
        let variables = try Self.templateVariables(from: input.templateVariables)
        let links = try input.externalLinks.map { text throws(SandboxError) in try Self.externalLinks(from: text) } ?? nil
        let mode = input.prioritizationMode ?? "DISABLED"

        var queue: RunQueueRecord
        if let existing = runQueue(named: input.queueName, projectID: project.id) {
            if existing.prioritizationMode == "V0", mode != "V0" {
                throw .invalidInput("run queue \"\(existing.name)\" uses prioritization mode V0, which cannot be disabled")
            }
            queue = existing
        } else {
            let (id, serial) = mintID("RunQueue")
            queue = RunQueueRecord(
                id: id, serial: serial, entityID: entity.id, projectID: project.id, name: input.queueName,
                access: "PROJECT", prioritizationMode: mode, defaultResourceConfigID: nil, externalLinks: nil,
                createdBy: caller.serial, createdAt: now, updatedAt: now)
        }

        var record: ResourceConfigRecord
        if let configID = queue.defaultResourceConfigID, let existing = resourceConfigs[configID] {
            record = existing
            record.updatedAt = now
        } else {
            let (id, serial) = mintID("DefaultResourceConfig")
            record = ResourceConfigRecord(
                id: id, serial: serial, entityID: entity.id, projectID: project.id, resource: input.resourceType,
                config: .object([]), templateVariables: [], createdAt: now, updatedAt: now)
        }
        record.resource = input.resourceType
        record.config = config
        record.templateVariables = variables
        put(record)

        queue.defaultResourceConfigID = record.id
        queue.prioritizationMode = mode
        queue.externalLinks = links
        queue.updatedAt = now
        put(queue)
        return (queue, Self.undeclaredPlaceholders(in: config, declared: variables))
    }

    /// Checks `{"links": [{"label": "...", "url": "..."}]}`; `null` means none.
    static func externalLinks(from text: String) throws(SandboxError) -> JSONValue? {
        let value = try JSONText.parse(text, field: "externalLinks")
        if value == .null { return nil }
        guard case .array(let links)? = value["links"], value.objectMembers?.count == 1 else {
            throw .invalidInput("externalLinks must be {\"links\": [{\"label\": ..., \"url\": ...}]}")
        }
        for link in links {
            guard link["label"]?.stringValue != nil, link["url"]?.stringValue != nil else {
                throw .invalidInput("externalLinks: every link needs a string \"label\" and \"url\"")
            }
        }
        return value
    }

    /// `deleteRunQueues(input: {queueIDs})`: all or nothing; removes the queues (their default resource configs
    /// stay, as separate objects). Entity admins only. A queue that still holds items is refused unless
    /// `dropsItems` (``SandboxConfiguration/deletesQueuesWithItems``): then its items go with it.
    mutating func deleteRunQueues(ids: [String], caller: UserRecord, dropsItems: Bool = false) throws(SandboxError) {
        guard !ids.isEmpty else { throw .invalidInput("queueIDs must not be empty") }
        for id in ids {
            guard let queue = runQueues[id], let entity = entities[queue.entityID] else {
                throw .notFound("run queue \"\(id)\" not found")
            }
            try requireAdministrator(of: entity, caller: caller, to: "delete run queues")
            let held = items(queueID: id).count
            if held > 0, !dropsItems {
                throw SandboxError(.invalidState, "run queue \"\(queue.name)\" still holds \(held) item\(held == 1 ? "" : "s"); it was not deleted")
            }
        }
        for id in ids {
            removeRunQueue(id: id)
            for item in items(queueID: id) { removeItem(id: item.id) }
        }
    }

    /// `pushToRunQueue(input:)`: members of the queue's entity. The queue's config is filled with the
    /// run's template-variable values (``TemplateFilling``) and becomes the run spec's `resource_args` (and
    /// `resource`) unless the run spec brings its own.
    mutating func pushToRunQueue(
        queueID: String, runSpec: String, templateVariableValues: String?, priority: Int?, caller: UserRecord, now: String
    ) throws(SandboxError) -> RunQueueItemRecord {
        guard let queue = runQueues[queueID], let entity = entities[queue.entityID] else {
            throw .notFound("run queue \"\(queueID)\" not found")
        }
        try requireMember(of: entity, caller: caller, to: "push to run queues")
        var spec = try JSONText.parseObject(runSpec, field: "runSpec")
        let values = try templateVariableValues.map { text throws(SandboxError) in
            try JSONText.parseObject(text, field: "templateVariableValues")
        }
        if priority != nil, queue.prioritizationMode != "V0" {
            throw .invalidInput("run queue \"\(queue.name)\" does not use prioritization; priority must be null")
        }
        if let config = queue.defaultResourceConfigID.flatMap({ resourceConfigs[$0] }) {
            let filled = try TemplateFilling.fill(config.config, variables: config.templateVariables, values: values)
            if spec["resource_args"] == nil, let resourceArgs = filled["resource_args"], case .object(var members) = spec {
                members.append(("resource_args", resourceArgs))
                if spec["resource"] == nil { members.append(("resource", .string(config.resource))) }
                spec = .object(members)
            }
        } else if let given = values?.objectMembers, let first = given.first {
            throw .invalidInput("template variable \"\(first.key)\" is not declared by the queue")
        }
        let (id, serial) = mintID("RunQueueItem")
        let item = RunQueueItemRecord(
            id: id, serial: serial, queueID: queue.id, runSpec: spec, state: "PENDING", priority: priority,
            templateVariableValues: templateVariableValues, createdAt: now)
        put(item)
        return item
    }
}
