import Declarations
import WandbAPI

/// Converts between the declarations' JSON values and the W&B client's.
enum JSONBridge {
    static func toDeclarations(_ value: WandbAPI.JSONValue) -> Declarations.JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(toDeclarations))
        case .object(let members): .object(members.mapValues(toDeclarations))
        }
    }

    static func toWandb(_ value: Declarations.JSONValue) -> WandbAPI.JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(toWandb))
        case .object(let members): .object(members.mapValues(toWandb))
        }
    }
}

/// Inside the reconciler, JSON values are the declarations' (canonical form, content hashes).
typealias JSONValue = Declarations.JSONValue
