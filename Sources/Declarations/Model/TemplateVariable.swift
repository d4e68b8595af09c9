import JSON

/// A value a queue's resource config takes per launch, filled into `{{name}}` placeholders.
public struct TemplateVariable: Sendable, Equatable {
    /// The type of values a template variable takes.
    public enum ValueType: String, Sendable, CaseIterable, Codable {
        case string, integer, number
    }

    /// What values are allowed.
    public struct Schema: Sendable, Equatable {
        public var type: ValueType
        public var defaultValue: JSONValue?
        public var minimum: Double?
        public var maximum: Double?
        public var allowedValues: [JSONValue]?

        public init(
            type: ValueType, defaultValue: JSONValue? = nil, minimum: Double? = nil, maximum: Double? = nil,
            allowedValues: [JSONValue]? = nil
        ) {
            self.type = type
            self.defaultValue = defaultValue
            self.minimum = minimum
            self.maximum = maximum
            self.allowedValues = allowedValues
        }
    }

    public var name: String
    public var description: String?
    public var schema: Schema

    public init(name: String, description: String? = nil, schema: Schema) {
        self.name = name
        self.description = description
        self.schema = schema
    }
}
