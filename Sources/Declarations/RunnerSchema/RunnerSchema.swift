import JSON

/// One runner API schema, compiled from the embedded JSON into a flat table of shapes for fast lookups.
struct RunnerSchema: Sendable {
    /// The JSON types a shape takes; empty means anything.
    struct Types: OptionSet, Sendable {
        let rawValue: UInt8
        static let null = Types(rawValue: 1 << 0)
        static let boolean = Types(rawValue: 1 << 1)
        static let integer = Types(rawValue: 1 << 2)
        static let number = Types(rawValue: 1 << 3)
        static let string = Types(rawValue: 1 << 4)
        static let array = Types(rawValue: 1 << 5)
        static let object = Types(rawValue: 1 << 6)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        init(names: [String]) {
            var types: Types = []
            for name in names {
                switch name {
                case "null": types.insert(.null)
                case "boolean": types.insert(.boolean)
                case "integer": types.insert(.integer)
                case "number": types.insert(.number)
                case "string": types.insert(.string)
                case "array": types.insert(.array)
                case "object": types.insert(.object)
                default: break
                }
            }
            self = types
        }

        /// The user's words for these types, e.g. `an integer or a string`.
        var phrase: String {
            var words: [String] = []
            if contains(.boolean) { words.append("a boolean") }
            if contains(.integer) || contains(.number) { words.append(contains(.number) ? "a number" : "an integer") }
            if contains(.string) { words.append("a string") }
            if contains(.array) { words.append("a list") }
            if contains(.object) { words.append("a mapping") }
            if words.count <= 1 { return words.first ?? "null" }
            return words.dropLast().joined(separator: ", ") + " or " + words.last!
        }
    }

    /// What one value must look like.
    struct Shape: Sendable {
        /// The named type this shape is, for messages (`Container`, `ResourceConfig`).
        var name: String?
        var types: Types = []
        var properties: [String: Int] = [:]
        var required: [String] = []
        /// No members beyond `properties`.
        var closed = false
        /// The shape of a map's values.
        var values: Int?
        var items: Int?
        var allowed: [JSONValue]?
        var minimum: Double?
        var maximum: Double?
        var minLength: Int?
        var maxLength: Int?
        var minItems: Int?
        var maxItems: Int?
        var maxProperties: Int?
    }

    private(set) var shapes: [Shape] = []
    private(set) var root = 0
    /// Where the data came from (package, version, file).
    private(set) var source = ""

    subscript(index: Int) -> Shape { shapes[index] }

    /// Compiles the embedded text; the text is generated and tested, so a failure is a build defect.
    init(embedded text: String) {
        guard let document = try? JSONParser.parse(Array(text.utf8)), let types = document["types"]?.object,
            let rootName = document["root"]?.string
        else { preconditionFailure("embedded runner schema is not valid JSON") }
        source = document["source"]?.string ?? ""
        var named: [String: Int] = [:]
        for name in types.keys.sorted() {
            named[name] = shapes.count
            shapes.append(Shape(name: name))
        }
        for (name, schema) in types {
            let index = named[name]!
            var shape = compile(schema, named: named)
            shape.name = name
            shapes[index] = shape
        }
        root = named[rootName]!
    }

    private mutating func compile(_ schema: JSONValue, named: [String: Int]) -> Shape {
        var shape = Shape()
        shape.types = Types(names: schema["type"]?.array?.compactMap(\.string) ?? [])
        for (key, value) in schema.object?["properties"]?.object ?? [:] {
            shape.properties[key] = child(value, named: named)
        }
        shape.required = schema["required"]?.array?.compactMap(\.string) ?? []
        shape.closed = schema["closed"]?.bool ?? false
        shape.values = schema["values"].map { child($0, named: named) }
        shape.items = schema["items"].map { child($0, named: named) }
        shape.allowed = schema["enum"]?.array
        shape.minimum = schema["minimum"]?.double
        shape.maximum = schema["maximum"]?.double
        shape.minLength = schema["minLength"]?.int
        shape.maxLength = schema["maxLength"]?.int
        shape.minItems = schema["minItems"]?.int
        shape.maxItems = schema["maxItems"]?.int
        shape.maxProperties = schema["maxProperties"]?.int
        return shape
    }

    /// The index of an inline schema, or of the named type it refers to.
    private mutating func child(_ schema: JSONValue, named: [String: Int]) -> Int {
        if let reference = schema["$ref"]?.string, let index = named[reference] { return index }
        let shape = compile(schema, named: named)
        shapes.append(shape)
        return shapes.count - 1
    }
}
