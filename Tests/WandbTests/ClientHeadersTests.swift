import Foundation
import JSON
import Testing
@testable import WandbAPI

/// The request headers are the SDK's (wire.md §1.2), and the body has its three members.
@Suite("Client request shape")
struct ClientHeadersTests {
    @Test("headers: SDK user agent, Basic api:<key>, admin privileges, identity headers; extras cannot replace them")
    func headers() throws {
        let key = try WandbAPIKey("k" + String(repeating: "1", count: 39))
        var configuration = try WandbClient.Configuration(baseURL: "https://api.example.com/prefix/", apiKey: key)
        configuration.extraHeaders = [
            HTTPHeaderField("X-Extra", "1"), HTTPHeaderField("authorization", "Bearer other"),
            HTTPHeaderField("User-Agent", "curl"), HTTPHeaderField("Use-Admin-Privileges", "false"),
        ]
        configuration.username = "ci-bot"
        let headers = configuration.requestHeaders
        func values(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
        #expect(values("User-Agent") == ["W&B Public Client 0.31.0"])
        #expect(values("Authorization") == ["Basic " + Data("api:k\(String(repeating: "1", count: 39))".utf8).base64EncodedString()])
        #expect(values("Content-Type") == ["application/json"])
        #expect(values("Use-Admin-Privileges") == ["true"])
        #expect(values("X-Wandb-Username") == ["ci-bot"])
        #expect(values("X-Wandb-User-Email") == [""])
        #expect(values("X-Extra") == ["1"])
        #expect(configuration.endpointURL == "https://api.example.com/prefix/graphql")
    }

    @Test("the body always carries query, variables and operationName")
    func body() throws {
        let bytes = try GraphQLRequestBody(query: "query Viewer { viewer { id } }", variables: [:], operationName: "Viewer").encoded()
        let body = try JSONValue(parsing: bytes)
        #expect(body == ["query": "query Viewer { viewer { id } }", "variables": [:], "operationName": "Viewer"])
    }
}
