import JSON

/// The canonical form of declarations: what they mean, with defaults applied, ready to compare and hash.
extension Declaration {
    /// The whole declaration (policy included) in canonical form.
    public var canonical: JSONValue {
        var members: [String: JSONValue] = ["kind": .string(kind.rawValue)]
        switch object {
        case .runQueue(let queue):
            members.merge(queue.wandbState.object ?? [:]) { current, _ in current }
            var policy: [String: JSONValue] = [:]
            if let drift = queue.policy.drift { policy["drift"] = .string(drift.rawValue) }
            if let prune = queue.policy.prune { policy["prune"] = .bool(prune) }
            if let protect = queue.policy.protect { policy["protect"] = .bool(protect) }
            if !policy.isEmpty { members["policy"] = .object(policy) }
        case .team(let team):
            members["name"] = .string(team.name)
            if let admin = team.admin { members["admin"] = .string(admin) }
            members["members"] = .array(
                team.members.sorted { $0.user.lowercased() < $1.user.lowercased() }.map {
                    .object(["user": .string($0.user), "role": .string($0.role.rawValue)])
                })
        case .user(let user):
            members["email"] = .string(user.email.lowercased())
            members["admin"] = .bool(user.admin)
        case .project(let project):
            members["entity"] = .string(project.entity)
            members["name"] = .string(project.name)
            if let description = project.description { members["description"] = .string(description) }
        case .policy(let policy):
            members.merge(policy.canonicalMembers) { current, _ in current }
        }
        return .object(members)
    }

    /// SHA-256 of the canonical JSON text: equal for declarations that mean the same.
    public var contentHash: String { ContentHash.sha256(CanonicalJSON.bytes(canonical)) }
}

extension RunQueue {
    /// What W&B holds for this queue, in canonical form (no policy: that is launchq's own).
    public var wandbState: JSONValue {
        .object([
            "entity": .string(entity),
            "name": .string(name),
            "resource_type": .string(resourceType.rawValue),
            "prioritization_mode": .string(prioritizationMode.rawValue),
            "resource_config": resourceConfig.canonical,
            "template_variables": .object(templateVariables.mapValues(\.canonical)),
            "external_links": .object(externalLinks.mapValues(JSONValue.string)),
        ])
    }
}

extension TemplateVariable {
    /// `{"description": …, "schema": {"type", "default", "minimum", "maximum", "enum"}}`, absent parts left out.
    public var canonical: JSONValue {
        var members: [String: JSONValue] = ["schema": schema.canonical]
        if let description { members["description"] = .string(description) }
        return .object(members)
    }
}

extension TemplateVariable.Schema {
    public var canonical: JSONValue {
        var members: [String: JSONValue] = ["type": .string(type.rawValue)]
        if let defaultValue { members["default"] = defaultValue.canonical }
        if let minimum { members["minimum"] = JSONValue.number(minimum).canonical }
        if let maximum { members["maximum"] = JSONValue.number(maximum).canonical }
        if let allowedValues { members["enum"] = .array(allowedValues.map(\.canonical)) }
        return .object(members)
    }
}

extension ValidationReport {
    /// SHA-256 over the sorted content hashes of every declaration: the identity of a whole revision.
    public var contentHash: String {
        Self.contentHash(of: declarations.map { ($0.kind.rawValue, $0.identity, $0.contentHash) })
    }

    /// ``contentHash`` from each declaration's kind, identity and content hash (as a revision's records hold them).
    public static func contentHash(of declarations: [(kind: String, identity: String, contentHash: String)]) -> String {
        let lines = declarations.map { "\($0.kind) \($0.identity) \($0.contentHash)\n" }.sorted().joined()
        return ContentHash.sha256(Array(lines.utf8))
    }
}
