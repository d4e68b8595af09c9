import Foundation

/// The JSON body of a GraphQL request: `{"query", "variables", "operationName"}`.
struct GraphQLRequestBody: Encodable {
    var query: String
    var variables: [String: JSONValue]
    var operationName: String

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw WandbAPIError(code: .decoding, message: "cannot encode the request variables: \(error)", operation: operationName)
        }
    }
}
