import Foundation
import GraphQL
import Logging
import Testing
import WandbAPI
import WandbModel

@testable import WandbSandbox

/// ``QueueListWriter`` (the sandbox writing `project { runQueues { ... } }` root fields itself) answers exactly what
/// GraphQLSwift's executor answers, for the documents launchq and the SDK send and for the corners of GraphQL it
/// must leave to the executor; and a big read after a change shows the change.
@Suite("Sandbox: queue lists written without the executor")
struct QueueListWriterTests {
    static let key = String(repeating: "k", count: 40)

    /// One store, answered by an endpoint that writes queue lists and by one that leaves everything to the executor.
    struct Endpoints {
        let store: SandboxStore
        let writing: GraphQLEndpoint
        let executing: GraphQLEndpoint

        init() throws {
            var state = SandboxState()
            state.bootstrapAdmin(username: "admin", apiKey: QueueListWriterTests.key, now: "2026-11-30T00:00:00Z")
            store = SandboxStore(state: state, file: nil)
            var logger = Logger(label: "QueueListWriterTests")
            logger.logLevel = .error
            writing = GraphQLEndpoint(schema: try ExecutableSchema(), store: store, monitor: RequestMonitor(faults: .none), logger: logger)
            var executing = writing
            executing.writesQueueLists = false
            self.executing = executing
        }

        /// The answer's body text from `endpoint`.
        static func send(_ endpoint: GraphQLEndpoint, _ query: String, variables: [String: Any] = [:]) async throws -> String {
            let body = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables, "operationName": ""])
            let authorization = "Basic " + Data("api:\(QueueListWriterTests.key)".utf8).base64EncodedString()
            guard case .json(let status, let bytes, _) = await endpoint.handle(authorization: authorization, body: Array(body)) else {
                Issue.record("the request was dropped")
                return ""
            }
            #expect(status == 200)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Runs a mutation and requires it to succeed.
        func change(_ mutation: String, variables: [String: Any] = [:]) async throws {
            let answer = try await Self.send(writing, mutation, variables: variables)
            try #require(!answer.contains("\"errors\""), "\(answer)")
        }

        /// Both endpoints' answers to one query, and whether the writer took at least one root field.
        func both(_ query: String, variables: [String: Any] = [:]) async throws -> (written: String, executed: String, wrote: Bool) {
            let written = try await Self.send(writing, query, variables: variables)
            let executed = try await Self.send(executing, query, variables: variables)
            let document = try parse(source: Source(body: query))
            let operation = try GraphQLEndpoint.selectOperation(in: document, named: nil).get()
            let state = await store.snapshot()
            let admin = try #require(state.user(username: "admin"))
            let map = variables.mapValues { value -> Map in (value as? String).map(Map.string) ?? .null }
            let wrote = !QueueListWriter.write(operation: operation, variables: map, state: state, viewer: admin).isEmpty
            return (written, executed, wrote)
        }
    }

    /// Teams `ml` (queues with nested configs, odd numbers, escapes, links, template variables, a queue without a
    /// config, a V0 queue) and `empty` (a model-registry project without queues).
    static func seeded() async throws -> Endpoints {
        let endpoints = try Endpoints()
        for team in ["ml", "empty"] {
            try await endpoints.change(#"mutation { createTeam(input: {teamName: "\#(team)", teamAdminUserName: "admin"}) { entity { id } } }"#)
            try await endpoints.change(#"mutation { upsertModel(input: {entityName: "\#(team)", name: "model-registry"}) { project { id } } }"#)
        }
        let upsert = """
            mutation($queue: String!, $type: String!, $config: JSONString!, $variables: JSONString, $mode: RunQueuePrioritizationMode, $links: JSONString) {
              upsertRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: $queue, resourceType: $type,
                resourceConfig: $config, templateVariables: $variables, prioritizationMode: $mode, externalLinks: $links}) { success }
            }
            """
        try await endpoints.change(upsert, variables: [
            "queue": "gpu", "type": "kubernetes", "mode": "V0",
            "config": #"{"resource_args":{"kubernetes":{"spec":{"n":"{{gpus}}","x":[1.5,-0.0,1e400,12345678901234567890,2.50,1E2,3e-7,true,null],"s":"é \"q\" \\ \n\t\u0001 😀"}}}}"#,
            "variables": #"{"gpus":{"description":"GPUs","schema":{"type":"integer","maximum":8}},"job":{"schema":{"type":"string","enum":["a","b"]}}}"#,
            "links": #"{"links":[{"label":"runbook","url":"https://example.com/a?b=c&d"}]}"#,
        ])
        try await endpoints.change(upsert, variables: ["queue": "cpu", "type": "local-process", "config": #"{"resource_args":{"local-process":{}}}"#])
        try await endpoints.change(#"mutation { createRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: "bare", access: USER}) { success } }"#)
        try await endpoints.change(#"mutation { createDefaultResourceConfig(input: {entityName: "ml", resource: "sagemaker", config: "{\"a\":1}"}) { success } }"#)
        return endpoints
    }

    @Test("launchq's ReadEntities batches (also serve's, with the backlog items) answer byte for byte as the executor does")
    func readEntities() async throws {
        let endpoints = try await Self.seeded()
        for parts in [EntityReadParts.all, .runQueues, [.runQueues, .members], [.all, .backlog]] {
            let operation = Operations.readEntities(count: 4, parts: parts)
            let variables: [String: Any] = ["e0": "ml", "e1": "empty", "e2": "missing", "e3": "admin"]
            let (written, executed, wrote) = try await endpoints.both(operation.document, variables: variables)
            #expect(written == executed)
            #expect(written.contains(#""name":"gpu""#) && written.contains(#""name":"bare""#))
            #expect(wrote, "the writer must take launchq's batches")
        }
    }

    @Test("aliases, __typename, every written field, literal and omitted arguments, null variables: as the executor")
    func everyField() async throws {
        let endpoints = try await Self.seeded()
        let query = """
            query Q($e: String, $none: String) {
              a: project(name: "model-registry", entityName: $e) {
                __typename id name entityName createdAt updatedAt isBenchmark readOnly description access views
                list: runQueues {
                  __typename id queueName: name access createdAt updatedAt createdBy defaultResourceConfigID entityName
                  prioritizationMode externalLinks
                  defaultResourceConfig {
                    __typename id resource config createdAt updatedAt
                    templateVariables { __typename name description schema }
                    scope { __typename ID Type }
                  }
                }
              }
              own: project(name: "model-registry") { id runQueues { id } }
              nameless: project(name: $none, entityName: "ml") { id }
              gone: project(name: "nope", entityName: "ml") { id }
              entity(name: "ml") { name }
            }
            """
        let (written, executed, wrote) = try await endpoints.both(query, variables: ["e": "ml", "none": NSNull()])
        #expect(wrote)
        #expect(written == executed)
        #expect(written.contains(#""queueName":"gpu""#), "\(written)")
    }

    @Test("fragments, directives, repeated keys and arguments below the root are left to the executor", arguments: [
        #"{ project(name: "model-registry", entityName: "ml") { runQueues { ...Q } } } fragment Q on RunQueue { id name }"#,
        #"{ project(name: "model-registry", entityName: "ml") { runQueues { id name @include(if: false) } } }"#,
        #"{ project(name: "model-registry", entityName: "ml") @skip(if: true) { id } }"#,
        #"{ project(name: "model-registry", entityName: "ml") { runQueues { id id } } }"#,
        #"query($n: Int) { project(name: "model-registry", entityName: "ml") { runQueues { runQueueItems(first: $n) { edges { node { id } } } } } }"#,
        #"{ project(name: "model-registry", entityName: "ml") { runQueues { runQueueItems(last: 1) { edges { node { id } } } } } }"#,
        #"{ project(name: "model-registry", entityName: "ml") { runQueues { runQueueItems(after: "bad") { edges { node { id } } } } } }"#,
        #"{ ... on Query { project(name: "model-registry", entityName: "ml") { id } } }"#,
        #"{ p: project(name: "model-registry", entityName: "ml") { id } p: project(name: "model-registry", entityName: "ml") { id } }"#,
    ])
    func leftToTheExecutor(query: String) async throws {
        let endpoints = try await Self.seeded()
        let (written, executed, wrote) = try await endpoints.both(query)
        #expect(!wrote)
        // Both answers come from the executor here, which resolves list items concurrently: when an error in one
        // item nulls the list's parent, which item's error is reported (its index in `path`) varies run to run.
        #expect(Self.withoutErrorPaths(written) == Self.withoutErrorPaths(executed))
    }

    /// The answer with every error's `path` emptied.
    static func withoutErrorPaths(_ answer: String) -> String {
        answer.replacing(/"path":\[[^\]]*\]/, with: #""path":[]"#)
    }

    @Test("queue items (serve's backlog read): pages, cursors and page info as the executor answers them")
    func items() async throws {
        let endpoints = try await Self.seeded()
        for _ in 0..<3 {
            try await endpoints.change(SandboxQueueItemsTests.pushByName, variables: [
                "entityName": "ml", "projectName": "model-registry", "queueName": "cpu", "runSpec": #"{"docker_image": "python", "n": 1.0}"#,
            ])
        }
        let state = await endpoints.store.snapshot()
        let second = try #require(state.runQueueItems.values.sorted { $0.serial < $1.serial }.dropFirst().first)
        let query = """
            {
              q: project(name: "model-registry", entityName: "ml") {
                runQueues {
                  name
                  all: runQueueItems { __typename edges { __typename cursor node { __typename id createdAt updatedAt runSpec state associatedRunId launchAgentId } }
                    pageInfo { __typename startCursor endCursor hasNextPage hasPreviousPage } }
                  two: runQueueItems(first: 2) { edges { node { id } } pageInfo { endCursor hasNextPage } }
                  none: runQueueItems(first: 0) { edges { cursor } pageInfo { startCursor hasNextPage } }
                  rest: runQueueItems(after: "cursor:\(second.serial)", first: 100) { edges { node { id state } } pageInfo { hasPreviousPage } }
                }
              }
            }
            """
        let (written, executed, wrote) = try await endpoints.both(query)
        #expect(wrote)
        #expect(written == executed)
        #expect(written.contains(#""state":"PENDING""#) && written.contains(#""hasNextPage":true"#), "\(written)")
    }

    @Test("a queue changed, added or deleted shows in the next big read")
    func readsAfterChanges() async throws {
        let endpoints = try await Self.seeded()
        let operation = Operations.readEntities(count: 2, parts: .all)
        let variables: [String: Any] = ["e0": "ml", "e1": "empty"]
        let before = try await Endpoints.send(endpoints.writing, operation.document, variables: variables)
        #expect(before.contains(#""resource_args":{"local-process":{}}"#))
        try await endpoints.change(#"""
            mutation { upsertRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: "cpu",
              resourceType: "local-container", resourceConfig: "{\"resource_args\":{\"local-container\":{\"changed\":1}}}"}) { success } }
            """#)
        try await endpoints.change(#"""
            mutation { upsertRunQueue(input: {entityName: "empty", projectName: "model-registry", queueName: "new",
              resourceType: "local-process", resourceConfig: "{\"resource_args\":{\"local-process\":{}}}"}) { success } }
            """#)
        let state = await endpoints.store.snapshot()
        let bare = try #require(state.runQueues.values.first { $0.name == "bare" })
        try await endpoints.change(#"mutation { deleteRunQueues(input: {queueIDs: ["\#(bare.id)"]}) { success } }"#)

        let (after, executed, wrote) = try await endpoints.both(operation.document, variables: variables)
        #expect(wrote)
        #expect(after == executed)
        #expect(after.contains(#""resource_args":{"local-container":{"changed":1}}"#), "\(after)")
        #expect(after.contains(#""name":"new""#))
        #expect(!after.contains(#""name":"bare""#))
    }
}
