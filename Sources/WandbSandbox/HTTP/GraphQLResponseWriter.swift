import GraphQL

/// Writes a `GraphQLResult` as compact JSON (`{"data": ..., "errors": [...]}`), keeping field order.
///
/// Does what `GraphQLJSONEncoder` does, without going through `Codable` (which was a fifth of the time of a
/// large batched read), and leaves out an empty error `path` (validation and syntax errors have none).
enum GraphQLResponseWriter {
    /// - Parameters:
    ///   - omittingRootKeys: keys of `data` to leave out (introspection switched off).
    ///   - replacingRootKeys: JSON text to write instead of the value of these keys of `data` (``QueueListWriter``).
    static func json(_ result: GraphQLResult, omittingRootKeys: Set<String> = [], replacingRootKeys: [String: String] = [:]) -> [UInt8] {
        var output = "{"
        if let data = result.data {
            output += "\"data\":"
            write(data, to: &output, omitting: omittingRootKeys, replacing: replacingRootKeys)
        }
        if !result.errors.isEmpty {
            if result.data != nil { output += "," }
            output += "\"errors\":["
            for (index, error) in result.errors.enumerated() {
                if index > 0 { output += "," }
                write(error, to: &output)
            }
            output += "]"
        }
        output += "}"
        return Array(output.utf8)
    }

    private static func write(_ error: GraphQLError, to output: inout String) {
        output += "{\"message\":"
        JSONValue.writeQuoted(error.message, to: &output)
        if !error.locations.isEmpty {
            output += ",\"locations\":["
            output += error.locations.map { "{\"line\":\($0.line),\"column\":\($0.column)}" }.joined(separator: ",")
            output += "]"
        }
        if !error.path.elements.isEmpty {
            output += ",\"path\":["
            for (index, element) in error.path.elements.enumerated() {
                if index > 0 { output += "," }
                switch element {
                case .index(let position): output += String(position)
                case .key(let key): JSONValue.writeQuoted(key, to: &output)
                }
            }
            output += "]"
        }
        if !error.extensions.isEmpty {
            output += ",\"extensions\":{"
            for (index, key) in error.extensions.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeQuoted(key, to: &output)
                output += ":"
                write(error.extensions[key] ?? .null, to: &output)
            }
            output += "}"
        }
        output += "}"
    }

    /// A non-integer number: `null` when not finite, without a fraction when whole (and small enough).
    static func write(_ double: Double, to output: inout String) {
        if !double.isFinite {
            output += "null"
        } else if double.rounded() == double, abs(double) < 1e15 {
            output += String(Int(double))
        } else {
            output += "\(double)"
        }
    }

    static func write(_ value: Map, to output: inout String, omitting: Set<String> = [], replacing: [String: String] = [:]) {
        switch value {
        case .undefined, .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            switch number.storageType {
            case .int: output += String(number.intValue)
            case .bool: output += number.boolValue ? "true" : "false"
            default: write(number.doubleValue, to: &output)
            }
        case .string(let string):
            JSONValue.writeQuoted(string, to: &output)
        case .array(let values):
            output += "["
            for (index, element) in values.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .dictionary(let members):
            output += "{"
            var first = true
            // (`forEach`: iterating an OrderedDictionary directly would need OrderedCollections.)
            members.forEach { key, member in
                if case .undefined = member { return }
                if omitting.contains(key) { return }
                if !first { output += "," }
                first = false
                JSONValue.writeQuoted(key, to: &output)
                output += ":"
                if let text = replacing[key] { output += text } else { write(member, to: &output) }
            }
            output += "}"
        }
    }
}
