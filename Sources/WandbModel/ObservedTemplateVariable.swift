import JSON

/// A template variable of a queue as W&B returns it: a name, an optional description and a
/// JSON schema (`{"type": "integer", "minimum": 1, ...}`).
public struct ObservedTemplateVariable: Sendable, Hashable {
    /// The variable's name (what `{{name}}` in the config refers to).
    public var name: String
    /// The description, if any.
    public var description: String?
    /// The schema exactly as the server sent it (a JSON document in a string).
    public var schemaJSON: String
    /// The parsed schema; `nil` when ``schemaJSON`` is not valid JSON.
    public var schema: JSONValue?

    public init(name: String, description: String?, schemaJSON: String) {
        self.name = name
        self.description = description
        self.schemaJSON = schemaJSON
        self.schema = try? JSONValue(parsing: schemaJSON)
    }
}
