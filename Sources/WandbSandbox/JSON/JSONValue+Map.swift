import GraphQL

extension JSONValue {
    /// The value as a GraphQL `Map`, keeping key order; integers that fit `Int` stay integers.
    var map: Map {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let lexeme):
            if let integer = Int(lexeme) { return .int(integer) }
            return .double(Double(lexeme) ?? 0)
        case .string(let value): return .string(value)
        case .array(let values): return .array(values.map(\.map))
        case .object(let members):
            var object: Map = [:]
            for member in members { object[member.key] = member.value.map }
            return object
        }
    }

    /// Converts a GraphQL input value (variables, literals) back into JSON.
    init(map: Map) {
        switch map {
        case .undefined, .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let number):
            switch number.storageType {
            case .int: self = .number(String(number.intValue))
            case .bool: self = .bool(number.boolValue)
            default:
                let double = number.doubleValue
                self = double.rounded() == double && abs(double) < 1e15 ? .number(String(Int(double))) : .number(String(double))
            }
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(JSONValue.init(map:)))
        case .dictionary(let dictionary): self = .object(dictionary.map { (key: $0.key, value: JSONValue(map: $0.value)) })
        }
    }
}
