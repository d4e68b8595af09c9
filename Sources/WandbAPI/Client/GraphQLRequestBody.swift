import JSON

/// The JSON body of a GraphQL request: `{"query", "variables", "operationName"}`.
struct GraphQLRequestBody {
    var query: String
    var variables: [String: JSONValue]
    var operationName: String

    /// The body's canonical JSON bytes.
    func encoded() -> [UInt8] {
        CanonicalJSON.bytes(.object(["query": .string(query), "variables": .object(variables), "operationName": .string(operationName)]))
    }
}
