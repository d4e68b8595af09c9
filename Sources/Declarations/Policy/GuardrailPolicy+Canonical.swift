import JSON

extension GuardrailPolicy {
    /// `{"name", "severity", "scope", "rules"}` with lists sorted and de-duplicated; an absent scope part
    /// (all) and absent rules are left out. Reads back as the same policy.
    var canonicalMembers: [String: JSONValue] {
        func list(_ values: [String]) -> JSONValue { .array(Set(values).sorted().map(JSONValue.string)) }
        var scopeMembers: [String: JSONValue] = [:]
        if !scope.entities.isEmpty { scopeMembers["entities"] = list(scope.entities) }
        if !scope.queues.isEmpty { scopeMembers["queues"] = list(scope.queues) }
        if !scope.resourceTypes.isEmpty { scopeMembers["resource_types"] = list(scope.resourceTypes.map(\.rawValue)) }
        var ruleMembers: [String: JSONValue] = [:]
        if let value = rules.maxGPUsPerJob { ruleMembers["max_gpus_per_job"] = .integer(value) }
        if let value = rules.requireLimits { ruleMembers["require_limits"] = list(value) }
        if let value = rules.allowedNamespaces { ruleMembers["allowed_namespaces"] = list(value) }
        if let value = rules.allowedImagePrefixes { ruleMembers["allowed_image_prefixes"] = list(value) }
        if let value = rules.allowedInstanceTypes { ruleMembers["allowed_instance_types"] = list(value) }
        if let value = rules.requiredLabels { ruleMembers["required_labels"] = list(value) }
        if let value = rules.maxRuntimeSeconds { ruleMembers["max_runtime_seconds"] = .integer(value) }
        if let value = rules.requiredLinks { ruleMembers["required_links"] = list(value) }
        if let value = rules.prioritizationMode { ruleMembers["prioritization_mode"] = .string(value.rawValue) }
        var members: [String: JSONValue] = ["name": .string(name), "severity": .string(severity.rawValue), "rules": .object(ruleMembers)]
        if !scopeMembers.isEmpty { members["scope"] = .object(scopeMembers) }
        return members
    }
}
