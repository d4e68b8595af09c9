@testable import AdminServer
import JSON
import Store
import WandbAPI
import Declarations
import Hummingbird
import Logging
import Testing

/// `/openapi.json` describes exactly the routes the router registers.
@Suite struct OpenAPITests {
    /// Router paths in OpenAPI form: `:kind` → `{kind}`, a trailing `**` (identities with slashes) → `{id}`.
    static func openAPIPath(_ route: String) -> String {
        let parts = route.split(separator: "/").map { part -> String in
            if part == "**" { return "{id}" }
            if part.hasPrefix(":") { return "{\(part.dropFirst())}" }
            return String(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedPathIsRouted() throws {
        // The router only needs the services' types to register routes; a store is made but never connected.
        let store = try Store.PostgresStore(configuration: .init(url: "postgres://nobody@127.0.0.1:1/none"), logger: .init(label: "test"))
        let client = try WandbAPI.WandbClient(
            configuration: .init(baseURL: "http://127.0.0.1:1", apiKey: .init(String(repeating: "k", count: 40))), logger: .init(label: "test"))
        let services = AdminServer.makeServices(configuration: .init(), store: store, wandb: client, logger: .init(label: "test"))
        let router = AdminServer.buildRouter(services)
        let routed = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \(Self.openAPIPath($0.path.description))" })
        guard case .object(let paths)? = OpenAPIDocument.document["paths"] else {
            Issue.record("the document has no paths")
            return
        }
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in item.object?.keys ?? [:].keys { documented.insert("\(method) \(path)") }
        }
        #expect(routed.count >= 18)
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    @Test func theDocumentIsOpenAPI31WithErrorAndBundleSchemas() {
        let document = OpenAPIDocument.document
        #expect(document["openapi"] == .string("3.1.0"))
        #expect(document["components"]?["schemas"]?["Error"] != nil)
        #expect(document["components"]?["schemas"]?["Bundle"]?["required"] == .array([.string("files")]))
        let push = document["paths"]?["/v1/revisions"]?["post"]
        #expect(push?["responses"]?["412"] != nil)
        #expect(push?["responses"]?["413"] != nil)
        #expect(push?["x-launchq-role"] == .string("admin"))
        #expect(document["paths"]?["/v1/objects"]?["get"]?["x-launchq-role"] == .string("viewer"))
    }
}
