import Foundation
import JSON
import Store
import Testing
import TestSupport

/// `launchq serve` (the built binary) with `OTEL_EXPORTER_OTLP_ENDPOINT` set exports its spans over OTLP/HTTP to a
/// local receiver: a span per reconcile run, one per W&B request named after its GraphQL operation, one per database
/// call; none holds the W&B API key, an admin token or a GraphQL variable.
@Suite("traces", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct TracingTests {
    /// What one traced serve run left at the receiver, and the secrets it knew.
    struct Exported {
        var spans: [OTLPReceiver.ReceivedSpan]
        var bodies: [String]
        var secrets: [String]
        var names: Set<String> { Set(spans.map(\.name)) }
    }

    static let writes: Set<String> = ["UpsertRunQueue", "CreateRunQueue"]
    /// A GraphQL variable of the reconcile (a user's email): never in a span.
    static let variable = "traced-lead@example.com"

    /// Runs `launchq serve` exporting to a local receiver with `OTEL_EXPORTER_OTLP_PROTOCOL=protocol`, reconciles
    /// once, waits until `received` holds of the bodies (or a deadline), stops serve (status 0) and the receiver.
    static func traced(protocol: String, until received: @escaping @Sendable ([String], [OTLPReceiver.ReceivedSpan]) -> Bool) async throws
        -> Exported
    {
        try await TestDatabase.withFreshDatabase { store, database in
            let sandbox = try await TestSandbox.start()
            let receiver = try await OTLPReceiver.start()
            try await Bundles.publish(Bundles.small(prefix: "traced"), to: store)
            let token = try await store.tokens.create(name: "trace-reader", role: .admin).secret
            var environment = Repository.environment.filter {
                !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("OTEL_")
                    && $0.key != "DATABASE_URL"
            }
            environment["DATABASE_URL"] = TestDatabase.url(of: database)
            environment["WANDB_BASE_URL"] = sandbox.baseURL
            environment["WANDB_API_KEY"] = sandbox.adminKey
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = `protocol`
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"
            let process = try ChildProcess(
                try LaunchqBinary.require(), arguments: ["serve", "--listen", "127.0.0.1:0", "--interval", "1h"],
                environment: environment)
            let serve = ServeProcess(name: "traces", process: process)
            try await serve.waitUntilUp()
            let (code, _) = try #require(await serve.post("/v1/reconcile?wait=true", token: token, timeout: .seconds(120)))
            #expect(code == 200)
            do {
                try await receiver.waitFor("the reconcile, W&B and database spans") { _ in received(receiver.bodies, receiver.spans) }
            } catch {
                Issue.record("\(error); spans so far: \(receiver.spans)")
            }
            serve.process.terminate()
            let result = await serve.process.finish(timeout: .seconds(30))
            await receiver.stop()
            try await sandbox.stop()
            #expect(result.status == 0, "\(result.both.suffix(3000))")
            return Exported(spans: receiver.spans, bodies: receiver.bodies, secrets: [sandbox.adminKey, token])
        }
    }

    @Test("http/json: the reconcile, W&B and database spans with their attributes, and no secret", .timeLimit(.minutes(4)))
    func jsonSpans() async throws {
        let exported = try await Self.traced(protocol: "http/json") { _, spans in
            let seen = Set(spans.map(\.name))
            return seen.contains("reconcile") && seen.contains("ReadEntities") && !seen.isDisjoint(with: Self.writes)
                && spans.contains { $0.attributes["db.system.name"] == "postgresql" }
        }
        let (spans, seen) = (exported.spans, exported.names)
        #expect(seen.contains("reconcile"), "\(seen)")
        #expect(seen.contains("ReadEntities") && !seen.isDisjoint(with: Self.writes), "\(seen)")
        let readEntities = try #require(spans.first { $0.name == "ReadEntities" })
        #expect(readEntities.attributes["wandb.operation.kind"] == "query", "\(readEntities)")
        #expect(readEntities.attributes["http.response.status_code"] == "200", "\(readEntities)")
        let reconcile = try #require(spans.first { $0.name == "reconcile" })
        #expect(reconcile.attributes["launchq.reconcile.ending"] == "completed", "\(reconcile)")
        let database = spans.filter { $0.attributes["db.system.name"] == "postgresql" }
        #expect(database.contains { $0.name == "recording object status" }, "\(Set(database.map(\.name)))")
        #expect(database.allSatisfy { !$0.name.contains("SELECT") && !$0.name.contains("INSERT") }, "\(Set(database.map(\.name)))")
        // Nothing the receiver got (names, attributes, resource) holds a secret or a GraphQL variable.
        for body in exported.bodies {
            for secret in exported.secrets { #expect(!body.contains(secret), "a span export holds a secret") }
            #expect(!body.contains(Self.variable), "a span export holds a GraphQL variable")
        }
        #expect(exported.bodies.contains { $0.contains(#""stringValue":"launchq""#) }, "the service name defaults to launchq")
    }

    /// Whether the protobuf `bodies` hold the run's, a W&B request's and a database call's span (names are plain UTF-8).
    static func holdsEveryName(_ bodies: [String]) -> Bool {
        ["reconcile", "ReadEntities", "recording object status", "postgresql"].allSatisfy { name in bodies.contains { $0.contains(name) } }
    }

    @Test("http/protobuf (the default encoding): the same span names arrive, and no secret", .timeLimit(.minutes(4)))
    func protobufSpans() async throws {
        let exported = try await Self.traced(protocol: "http/protobuf") { bodies, _ in Self.holdsEveryName(bodies) }
        #expect(Self.holdsEveryName(exported.bodies), "missing span names in the protobuf exports")
        #expect(exported.spans.isEmpty, "protobuf bodies are not parsed as JSON")
        for body in exported.bodies {
            for secret in exported.secrets { #expect(!body.contains(secret), "a span export holds a secret") }
            #expect(!body.contains(Self.variable), "a span export holds a GraphQL variable")
        }
    }
}
