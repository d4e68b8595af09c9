import JSON

/// A JSON Schema (draft 2020-12) of the declaration format, so editors complete and check fields as people type.
///
/// It covers the shape of each kind; the rules that need more than a schema (placeholders, runner
/// refusals, cross-document references) are `launchq validate`'s.
public enum DeclarationSchema {
    public static let id = "https://launchq.dev/schema/launchq-v1.json"

    public static var document: JSONValue {
        .object([
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": .string(id),
            "title": "launchq declaration (apiVersion launchq/v1)",
            "type": "object",
            "required": ["apiVersion", "kind"],
            "oneOf": [.object(["$ref": "#/$defs/RunQueue"]), .object(["$ref": "#/$defs/Team"]), .object(["$ref": "#/$defs/User"]), .object(["$ref": "#/$defs/Project"]), .object(["$ref": "#/$defs/Policy"])],
            "$defs": .object([
                "RunQueue": kind("RunQueue", required: ["entity", "name", "resource_type"], properties: [
                    "entity": entityName("W&B entity (team) that owns the queue"),
                    "name": .object(["type": "string", "minLength": 1, "maxLength": 64, "description": "queue name"]),
                    "resource_type": .object(["enum": .array(ResourceType.allCases.map { .string($0.rawValue) })]),
                    "prioritization_mode": .object([
                        "enum": .array(PrioritizationMode.allCases.map { .string($0.rawValue) }), "default": "DISABLED",
                        "description": "V0 can never go back to DISABLED",
                    ]),
                    "resource_config": .object(["type": "object", "description": "the runner's config; string values may hold {{var}} and ${macro}"]),
                    "template_variables": .object([
                        "type": "object",
                        "propertyNames": .object(["pattern": "^[A-Za-z_][A-Za-z0-9_-]{0,63}$"]),
                        "additionalProperties": .object(["$ref": "#/$defs/TemplateVariable"]),
                    ]),
                    "external_links": .object([
                        "type": "object", "additionalProperties": .object(["type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"]),
                    ]),
                    "policy": .object([
                        "type": "object", "additionalProperties": false,
                        "properties": .object([
                            "drift": .object(["enum": ["correct", "report"]]), "prune": .object(["type": "boolean"]),
                            "protect": .object(["type": "boolean"]),
                        ]),
                    ]),
                ]),
                "TemplateVariable": .object([
                    "type": "object", "additionalProperties": false, "required": ["schema"],
                    "properties": .object([
                        "description": .object(["type": "string"]),
                        "schema": .object([
                            "type": "object", "additionalProperties": false, "required": ["type"],
                            "properties": .object([
                                "type": .object(["enum": ["string", "integer", "number"]]),
                                "default": .object(["type": ["string", "number"]]),
                                "minimum": .object(["type": "number"]),
                                "maximum": .object(["type": "number"]),
                                "enum": .object(["type": "array", "minItems": 1, "uniqueItems": true, "items": .object(["type": ["string", "number"]])]),
                            ]),
                        ]),
                    ]),
                ]),
                "Team": kind("Team", required: ["name"], properties: [
                    "name": entityName("team name"),
                    "admin": .object(["type": "string", "description": "team admin at creation (a User's email or a W&B username)"]),
                    "members": .object([
                        "type": "array",
                        "items": .object([
                            "type": "object", "additionalProperties": false, "required": ["user"],
                            "properties": .object(["user": .object(["type": "string"]), "role": .object(["enum": ["admin", "member"], "default": "member"])]),
                        ]),
                    ]),
                ]),
                "User": kind("User", required: ["email"], properties: [
                    "email": .object(["type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"]),
                    "admin": .object(["type": "boolean", "default": false, "description": "W&B instance admin"]),
                ]),
                "Policy": policy,
                "Project": kind("Project", required: ["entity", "name"], properties: [
                    "entity": entityName("W&B entity (team) that owns the project"),
                    "name": entityName("project name"),
                    "description": .object(["type": "string"]),
                ]),
            ]),
        ])
    }

    private static func kind(_ name: String, required: [String], properties: [String: JSONValue]) -> JSONValue {
        var all = properties
        all["apiVersion"] = .object(["const": "launchq/v1"])
        all["kind"] = .object(["const": .string(name)])
        return .object([
            "type": "object", "additionalProperties": false,
            "required": .array((["apiVersion", "kind"] + required).map(JSONValue.string)),
            "properties": .object(all),
        ])
    }

    /// `kind: Policy`: launchq's guardrails for the queues in its scope.
    private static var policy: JSONValue {
        let strings: JSONValue = .object(["type": "array", "minItems": 1, "items": .object(["type": "string", "minLength": 1])])
        let types: JSONValue = .object(["enum": .array(ResourceType.allCases.map { .string($0.rawValue) })])
        return kind("Policy", required: ["name", "rules"], properties: [
            "name": entityName("policy name"),
            "severity": .object(["enum": ["error", "warning"], "default": "error", "description": "error refuses a breaking bundle; warning only warns"]),
            "scope": .object([
                "type": "object", "additionalProperties": false, "description": "which queues; a part left out means all",
                "properties": .object([
                    "entities": strings, "queues": strings,
                    "resource_types": .object(["type": "array", "minItems": 1, "items": types]),
                ]),
            ]),
            "rules": .object([
                "type": "object", "additionalProperties": false,
                "properties": .object([
                    "max_gpus_per_job": .object(["type": "integer", "minimum": 0]),
                    "require_limits": strings, "allowed_namespaces": strings, "allowed_image_prefixes": strings,
                    "allowed_instance_types": strings, "required_labels": strings,
                    "max_runtime_seconds": .object(["type": "integer", "minimum": 1]),
                    "required_links": strings,
                    "prioritization_mode": .object(["enum": .array(PrioritizationMode.allCases.map { .string($0.rawValue) })]),
                ]),
            ]),
        ])
    }

    private static func entityName(_ description: String) -> JSONValue {
        .object(["type": "string", "pattern": "^[A-Za-z0-9_.-]{1,128}$", "description": .string(description)])
    }
}
