/// Helpers for `JSONString` inputs: JSON documents sent as GraphQL strings.
enum JSONText {
    /// Parses `text`, naming the input field in the error.
    static func parse(_ text: String, field: String) throws(SandboxError) -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw .invalidInput("\(field) is not valid JSON: \(error)")
        }
    }

    static func requireValid(_ text: String, field: String) throws(SandboxError) {
        _ = try parse(text, field: field)
    }

    /// Parses `text` and requires a JSON object.
    static func parseObject(_ text: String, field: String) throws(SandboxError) -> JSONValue {
        let value = try parse(text, field: field)
        guard case .object = value else { throw .invalidInput("\(field) must be a JSON object") }
        return value
    }
}
