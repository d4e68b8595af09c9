import Foundation
import GraphQL
import Testing
import TestSupport
import WandbSandbox

/// The sandbox's HTTP edge: authentication, bad requests, introspection, counters and the `/_sandbox` routes.
@Suite("Sandbox HTTP")
struct SandboxHTTPTests {
    static let viewer = "query Viewer { viewer { id username entity admin } }"

    @Test("a wrong or missing API key is 401 with a GraphQL-shaped error, and the key is not echoed")
    func unauthorized() async throws {
        try await TestSandbox.with { sandbox in
            let body = Array(#"{"query":"{ viewer { id } }"}"#.utf8)
            let wrongKey = "wrong-key-0123456789012345678901234567890"
            let wrong = try await sandbox.send(.post, "/graphql", body: body, authorization: .some(TestSandbox.basic(wrongKey)))
            #expect(wrong.status == 401)
            #expect(wrong.errorMessages.first?.contains("API key") == true)
            #expect(!wrong.text.contains(wrongKey))

            let missing = try await sandbox.send(.post, "/graphql", body: body, authorization: .some(nil))
            #expect(missing.status == 401)
            let bearer = try await sandbox.send(.post, "/graphql", body: body, authorization: .some("Bearer \(sandbox.adminKey)"))
            #expect(bearer.status == 401)
            let counters = try await sandbox.send(.get, "/_sandbox/counters", authorization: .some(nil))
            #expect(counters.status == 401)

            let ok = try await sandbox.send(.post, "/graphql", body: body)
            #expect(ok.status == 200)
            #expect(jsonPath(ok.data, "viewer", "id") is String)
            #expect(await sandbox.server.counters()["(unauthorized)"] == 3)
        }
    }

    @Test("a body over 4 MiB is 413")
    func tooLarge() async throws {
        try await TestSandbox.with { sandbox in
            let padding = String(repeating: " ", count: 4 * 1024 * 1024 + 1)
            let body = Array("{\"query\":\"{ viewer { id } }\"\(padding)}".utf8)
            let answer = try await sandbox.send(.post, "/graphql", body: body)
            #expect(answer.status == 413)
            #expect(answer.errorMessages.first?.contains("larger than") == true)
            // Just under the limit is fine.
            let fits = Array("{\"query\":\"{ viewer { id } }\"\(String(repeating: " ", count: 4 * 1024 * 1024 - 40))}".utf8)
            #expect(try await sandbox.send(.post, "/graphql", body: fits).status == 200)
        }
    }

    @Test("malformed JSON and a missing query are 400 saying where and why", arguments: [
        (#"{"query": "{ viewer { id } }""#, "not valid JSON"),
        (#"{"query": "#, "not valid JSON"),
        (#"[1, 2]"#, "must be a JSON object"),
        (#"{"variables": {}}"#, "Must provide query string"),
        (#"{"query": 42}"#, "Must provide query string"),
        (#"{"query": "{ viewer { id } }", "variables": [1]}"#, "variables must be a JSON object"),
        (#"{"query": "{ viewer { id } }", "operationName": 5}"#, "operationName must be a string"),
        (String(repeating: "[", count: 10_000), "nesting deeper"),
    ])
    func badBodies(body: String, message: String) async throws {
        try await TestSandbox.with { sandbox in
            let answer = try await sandbox.send(.post, "/graphql", body: Array(body.utf8))
            #expect(answer.status == 400)
            #expect(answer.errorMessages.first?.contains(message) == true, "\(answer.text)")
        }
    }

    @Test("validation, syntax and operation-selection errors are 200 with an errors array")
    func graphQLErrors() async throws {
        try await TestSandbox.with { sandbox in
            let unknownField = try await sandbox.graphql("query Q { viewer { nope } }")
            #expect(unknownField.status == 200)
            #expect(unknownField.errorMessages.count == 1)
            #expect(unknownField.errorMessages.first?.hasPrefix(#"Cannot query field "nope" on type "User"."#) == true)
            #expect(unknownField.data == nil)

            let missingArgument = try await sandbox.graphql("query Q { project { runQueue { id } } }")
            #expect(missingArgument.errorMessages.contains { $0.contains(#"argument "name" of type "String!" is required"#) })

            let syntax = try await sandbox.graphql("query Q { viewer { id ")
            #expect(syntax.status == 200)
            #expect(syntax.errorMessages.first?.contains("Syntax Error") == true)

            let unknownOperation = try await sandbox.graphql(Self.viewer, operationName: "Other")
            #expect(unknownOperation.errorMessages == [#"Unknown operation named "Other"."#])

            let twoOperations = try await sandbox.graphql("query A { viewer { id } } query B { viewer { id } }")
            #expect(twoOperations.errorMessages.first?.contains("Must provide operation name") == true)
            let picked = try await sandbox.graphql("query A { viewer { id } } query B { viewer { username } }", operationName: "B")
            #expect(jsonPath(picked.data, "viewer", "username") as? String == "admin")

            let badVariable = try await sandbox.graphql(
                "query Q($id: ID!) { entity(name: \"admin\") { defaultResourceConfig(id: $id) { id } } }", variables: ["id": NSNull()])
            #expect(badVariable.status == 200)
            #expect(badVariable.errorMessages.first?.contains("$id") == true)
        }
    }

    @Test("a query nested deeper than 64 levels is refused before parsing (no stack overflow)")
    func deepQuery() async throws {
        try await TestSandbox.with { sandbox in
            let deep = "query Deep " + String(repeating: "{ viewer ", count: 200_000) + String(repeating: "}", count: 200_000)
            let answer = try await sandbox.graphql(deep)
            #expect(answer.status == 200)
            #expect(answer.errorMessages == ["the query nests deeper than 64 levels"])
            let arguments = "query Deep { entity(name: " + String(repeating: "[", count: 100_000) + "\"a\"" + String(repeating: "]", count: 100_000) + ") { id } }"
            #expect(try await sandbox.graphql(arguments).errorMessages == ["the query nests deeper than 64 levels"])
            #expect(try await sandbox.graphql(Self.viewer).status == 200)
        }
    }

    @Test("operationName \"\", absent or null runs the only operation; variables may be absent, {} or null")
    func operationNameAndVariables() async throws {
        try await TestSandbox.with { sandbox in
            for body in [
                #"{"query": "query Viewer { viewer { username } }", "operationName": ""}"#,
                #"{"query": "query Viewer { viewer { username } }"}"#,
                #"{"query": "query Viewer { viewer { username } }", "operationName": null, "variables": null}"#,
                #"{"query": "query Viewer { viewer { username } }", "operationName": "Viewer", "variables": {}}"#,
            ] {
                let answer = try await sandbox.send(.post, "/graphql", body: Array(body.utf8))
                #expect(answer.status == 200)
                #expect(jsonPath(answer.data, "viewer", "username") as? String == "admin", "\(body) -> \(answer.text)")
            }
            #expect(await sandbox.server.counters()["Viewer"] == 4)
        }
    }

    @Test("introspection: __type lists the run-queue mutations and input fields; __schema works")
    func introspection() async throws {
        try await TestSandbox.with { sandbox in
            let probe = try await sandbox.graphql("""
                query ProbeServerCapabilities {
                    MutationType: __type(name: "Mutation") { ...fieldData }
                    QueryType: __type(name: "Query") { ...fieldData }
                    ServerInfoType: __type(name: "ServerInfo") { ...fieldData }
                }
                fragment fieldData on __Type { fields { name } }
                """)
            let mutations = (jsonPath(probe.data, "MutationType", "fields") as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            for name in ["upsertRunQueue", "createRunQueue", "createDefaultResourceConfig", "deleteRunQueues", "upsertModel", "createTeam"] {
                #expect(mutations.contains(name), "\(name) missing from \(mutations)")
            }
            #expect((jsonPath(probe.data, "ServerInfoType", "fields") as? [Any])?.isEmpty == false)
            let push = try await sandbox.graphql(
                #"query ProbePushToRunQueueInput { PushToRunQueueInputType: __type(name: "PushToRunQueueInput") { name inputFields { name } } }"#)
            let pushFields = (jsonPath(push.data, "PushToRunQueueInputType", "inputFields") as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(pushFields?.contains("templateVariableValues") == true)
            let input = try await sandbox.graphql(#"{ __type(name: "UpsertRunQueueInput") { name inputFields { name } } }"#)
            let fields = (jsonPath(input.data, "__type", "inputFields") as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(Set(fields) == [
                "clientMutationId", "entityName", "projectName", "queueName", "resourceType", "resourceConfig",
                "templateVariables", "prioritizationMode", "externalLinks",
            ])
            let schema = try await sandbox.graphql("{ __schema { queryType { name } mutationType { name } types { name } } }")
            #expect(jsonPath(schema.data, "__schema", "mutationType", "name") as? String == "Mutation")
            let types = (jsonPath(schema.data, "__schema", "types") as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(types.contains("RunQueue") && types.contains("TemplateVariable"))
        }
    }

    @Test("the published SDL builds and validates the SDK's raw documents")
    func sdl() throws {
        let schema = try buildSchema(source: SandboxSchema.sdl)
        #expect(validateSchema(schema: schema).isEmpty)
        let document = try parse(source: Source(body: """
            mutation CreateProject($input: UpsertModelInput!) {
              result: upsertModel(input: $input) { project { ...P } model { ...P } inserted }
            }
            fragment P on Project { id name entityName description access views }
            """))
        #expect(validate(schema: schema, ast: document).isEmpty)
    }

    @Test("telemetry paths answer 404 without auth; /healthz answers 200")
    func otherPaths() async throws {
        try await TestSandbox.with { sandbox in
            let metrics = try await sandbox.send(.post, "/sdk/otel/v1/metrics", body: [], authorization: .some(nil))
            let logs = try await sandbox.send(.post, "/sdk/otel/v1/logs", body: [1, 2], authorization: .some(nil))
            let health = try await sandbox.send(.get, "/healthz", authorization: .some(nil))
            #expect(metrics.status == 404)
            #expect(logs.status == 404)
            #expect(health.status == 200)
        }
    }

    @Test("counters by operation and mutations, in process and over HTTP, and their reset")
    func counters() async throws {
        try await TestSandbox.with { sandbox in
            _ = try await sandbox.graphql(Self.viewer)
            _ = try await sandbox.graphql(Self.viewer)
            _ = try await sandbox.graphql("mutation CreateTeam { createTeam(input: {teamName: \"t1\"}) { entity { id } } }")
            _ = try await sandbox.graphql("{ viewer { id } }")
            let counters = await sandbox.server.counters()
            #expect(counters.requestsByOperation == ["Viewer": 2, "CreateTeam": 1, "(anonymous)": 1])
            #expect(counters.mutations == 1)
            #expect(counters.total == 4)

            let overHTTP = try await sandbox.send(.get, "/_sandbox/counters")
            #expect(overHTTP.status == 200)
            #expect(jsonPath(overHTTP.json, "requestsByOperation", "Viewer") as? Int == 2)
            #expect(jsonPath(overHTTP.json, "mutations") as? Int == 1)
            #expect(jsonPath(overHTTP.json, "total") as? Int == 4)

            #expect(try await sandbox.send(.post, "/_sandbox/reset-counters", body: []).status == 204)
            #expect(await sandbox.server.counters() == SandboxCounters())
            await sandbox.server.resetCounters()
            #expect(await sandbox.server.counters().total == 0)
        }
    }

    @Test("/_sandbox/api-keys mints a key for a user; only instance admins may use it or change faults")
    func adminRoutes() async throws {
        try await TestSandbox.with { sandbox in
            _ = try await sandbox.graphql(#"mutation { createUser(input: {email: "dana@example.com"}) { user { id } } }"#)
            let minted = try await sandbox.send(.post, "/_sandbox/api-keys", body: Array(#"{"username": "dana"}"#.utf8))
            #expect(minted.status == 200)
            let danaKey = try #require(jsonPath(minted.json, "apiKey") as? String)
            #expect(danaKey.count == 40)
            let viewer = try await sandbox.graphql(Self.viewer, key: danaKey)
            #expect(jsonPath(viewer.data, "viewer", "username") as? String == "dana")
            #expect(jsonPath(viewer.data, "viewer", "admin") as? Bool == false)

            let asDana = TestSandbox.basic(danaKey)
            #expect(try await sandbox.send(.post, "/_sandbox/faults", body: Array("500:1".utf8), authorization: .some(asDana)).status == 403)
            #expect(try await sandbox.send(.post, "/_sandbox/api-keys", body: Array(#"{"username": "admin"}"#.utf8), authorization: .some(asDana)).status == 403)
            #expect(try await sandbox.send(.get, "/_sandbox/counters", authorization: .some(asDana)).status == 200)
            let unknown = try await sandbox.send(.post, "/_sandbox/api-keys", body: Array(#"{"username": "nobody"}"#.utf8))
            #expect(unknown.status == 404)
        }
    }
}
