import GraphQL

/// The JSON body of `POST /graphql`: `{"query": "...", "variables": {...}, "operationName": "..."}`.
struct GraphQLHTTPRequest: Sendable {
    /// Why a body is not a GraphQL request (answered with HTTP 400).
    struct Malformed: Error {
        var message: String
    }

    var query: String
    var variables: [String: Map]
    /// `nil` when absent, null or empty (the SDK sends `""` for raw documents).
    var operationName: String?

    init(body: [UInt8]) throws(Malformed) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw Malformed(message: "request body is not valid JSON: \(error)")
        }
        guard case .object = json else { throw Malformed(message: "request body must be a JSON object") }
        guard case .string(let query)? = json["query"], !query.isEmpty else {
            throw Malformed(message: "Must provide query string.")
        }
        self.query = query
        switch json["variables"] {
        case nil, .null?:
            variables = [:]
        case .object(let members)?:
            variables = Dictionary(members.map { ($0.key, $0.value.map) }, uniquingKeysWith: { _, last in last })
        case .string(let text)?:
            // Some clients send variables as a JSON-encoded string.
            guard let decoded = try? JSONValue(parsing: text), case .object(let members) = decoded else {
                throw Malformed(message: "variables must be a JSON object")
            }
            variables = Dictionary(members.map { ($0.key, $0.value.map) }, uniquingKeysWith: { _, last in last })
        default:
            throw Malformed(message: "variables must be a JSON object")
        }
        switch json["operationName"] {
        case nil, .null?: operationName = nil
        case .string(let name)?: operationName = name.isEmpty ? nil : name
        default: throw Malformed(message: "operationName must be a string")
        }
    }
}
