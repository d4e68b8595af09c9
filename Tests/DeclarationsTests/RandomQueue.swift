import Declarations
import JSON

/// A small deterministic generator (SplitMix64), so property failures reproduce from the seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random valid queue declarations, written out as YAML or JSON with random key order.
enum RandomQueue {
    static let words = ["alpha", "beta", "gamma", "delta", "spec", "metadata", "limits", "x-y", "nvidia.com/gpu", "a b", "ünï", "quote\"d"]

    static func make(_ random: inout SeededRandom) -> JSONValue {
        let variables = (0..<Int.random(in: 0...3, using: &random)).map { "v\($0)" }
        var config = randomObject(depth: 0, &random)
        if case .object(var members) = config {
            for name in variables { members["use_\(name)"] = .string(Bool.random(using: &random) ? "{{\(name)}}" : "pre-{{ \(name) }}-post") }
            // A custom object: its random members are not a Job's, so the Job schema does not judge them.
            members["apiVersion"] = "example.com/v1"
            config = .object(members)
        }
        var templateVariables: [String: JSONValue] = [:]
        for name in variables {
            let minimum = Int.random(in: -5...5, using: &random)
            templateVariables[name] = .object([
                "description": .string("about \(name)"),
                "schema": .object(["type": "integer", "minimum": .integer(minimum), "maximum": .integer(minimum + 10), "default": .integer(minimum + 1)]),
            ])
        }
        return .object([
            "apiVersion": "launchq/v1", "kind": "RunQueue", "entity": "ml-platform", "name": .string("queue-\(random.next() % 1000)"),
            "resource_type": "kubernetes", "prioritization_mode": Bool.random(using: &random) ? "V0" : "DISABLED",
            "resource_config": config, "template_variables": .object(templateVariables),
            "external_links": .object(["Dash": .string("https://grafana.example.com/d/\(random.next() % 100)")]),
        ])
    }

    static func randomObject(depth: Int, _ random: inout SeededRandom) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            members[words.randomElement(using: &random)! + String(depth)] = randomValue(depth: depth + 1, &random)
        }
        return .object(members)
    }

    static func randomValue(depth: Int, _ random: inout SeededRandom) -> JSONValue {
        switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .integer(Int.random(in: -1000...1000, using: &random))
        case 1: return .number(Double(Int.random(in: -1000...1000, using: &random)) / 8)
        case 2: return .string(words.randomElement(using: &random)!)
        case 3: return .bool(Bool.random(using: &random))
        case 4: return .string("\(Int.random(in: 0...9, using: &random))")
        case 5: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, &random) })
        default: return randomObject(depth: depth, &random)
        }
    }

    /// Flow-style YAML with keys shuffled, numbers written in varied but equal forms.
    static func yaml(_ value: JSONValue, _ random: inout SeededRandom) -> String { write(value, json: false, &random) }

    /// JSON with keys shuffled.
    static func json(_ value: JSONValue, _ random: inout SeededRandom) -> String { write(value, json: true, &random) }

    static func write(_ value: JSONValue, json: Bool, _ random: inout SeededRandom) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return !json && Bool.random(using: &random) ? "\(number).0" : String(number)
        case .number(let number): return "\(number)"
        case .string(let text): return quoted(text)
        case .array(let items): return "[" + items.map { write($0, json: json, &random) }.joined(separator: ", ") + "]"
        case .object(let members):
            let keys = members.keys.shuffled(using: &random)
            return "{" + keys.map { quoted($0) + ": " + write(members[$0]!, json: json, &random) }.joined(separator: ", ") + "}"
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
