import Foundation
import JSON
import Store
import Testing
import TestSupport

/// `launchq serve` (the built binary) with `OTEL_EXPORTER_OTLP_ENDPOINT` set exports its spans over OTLP/HTTP to a
/// local receiver: a span per reconcile run, one per W&B request named after its GraphQL operation, one per database
/// call; none holds the W&B API key or an admin token.
@Suite("traces", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct TracingTests {
    @Test("spans reach a local OTLP receiver with the W&B operation names and no secret", .timeLimit(.minutes(4)))
    func spansReachTheReceiver() async throws {
        try await TestDatabase.withFreshDatabase { store, database in
            let sandbox = try await TestSandbox.start()
            let receiver = try await OTLPReceiver.start()
            try await ServeProcessTests.publish(Bundles.small(prefix: "traced"), store: store)
            let token = try await store.tokens.create(name: "trace-reader", role: .admin).secret
            var environment = Repository.environment.filter {
                !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("OTEL_")
                    && $0.key != "DATABASE_URL"
            }
            environment["DATABASE_URL"] = TestDatabase.url(of: database)
            environment["WANDB_BASE_URL"] = sandbox.baseURL
            environment["WANDB_API_KEY"] = sandbox.adminKey
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json"
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"
            let process = try ChildProcess(
                try LaunchqBinary.require(), arguments: ["serve", "--listen", "127.0.0.1:0", "--interval", "1h"],
                environment: environment)
            let serve = ServeProcess(name: "traces", process: process)
            try await serve.waitUntilUp()
            let (code, _) = try #require(await serve.post("/v1/reconcile?wait=true", token: token, timeout: .seconds(120)))
            #expect(code == 200)

            func names(_ spans: [OTLPReceiver.ReceivedSpan]) -> Set<String> { Set(spans.map(\.name)) }
            let writes: Set<String> = ["UpsertRunQueue", "CreateRunQueue"]
            do {
                try await receiver.waitFor("the reconcile, W&B and database spans") { spans in
                    let seen = names(spans)
                    return seen.contains("reconcile") && seen.contains("ReadEntities") && !seen.isDisjoint(with: writes)
                        && spans.contains { $0.attributes["db.system.name"] == "postgresql" }
                }
            } catch {
                Issue.record("spans so far: \(receiver.spans)")
            }
            serve.process.terminate()
            let result = await serve.process.finish(timeout: .seconds(30))
            await receiver.stop()
            try await sandbox.stop()
            #expect(result.status == 0, "\(result.both.suffix(3000))")

            let spans = receiver.spans
            let seen = names(spans)
            #expect(seen.contains("reconcile"), "\(seen)")
            #expect(seen.contains("ReadEntities") && !seen.isDisjoint(with: writes), "\(seen)")
            let readEntities = try #require(spans.first { $0.name == "ReadEntities" })
            #expect(readEntities.attributes["wandb.operation.kind"] == "query", "\(readEntities)")
            #expect(readEntities.attributes["http.response.status_code"] == "200", "\(readEntities)")
            let reconcile = try #require(spans.first { $0.name == "reconcile" })
            #expect(reconcile.attributes["launchq.reconcile.ending"] == "completed", "\(reconcile)")
            let database = spans.filter { $0.attributes["db.system.name"] == "postgresql" }
            #expect(database.contains { $0.name == "recording object status" }, "\(names(database))")
            #expect(database.allSatisfy { !$0.name.contains("SELECT") && !$0.name.contains("INSERT") }, "\(names(database))")
            // Nothing the receiver got (names, attributes, resource) holds a secret or the GraphQL variables.
            for body in receiver.bodies {
                #expect(!body.contains(sandbox.adminKey), "a span export holds the W&B API key")
                #expect(!body.contains(token), "a span export holds an admin token")
                #expect(!body.contains("traced-lead@example.com"), "a span export holds a GraphQL variable")
            }
            #expect(receiver.bodies.contains { $0.contains(#""stringValue":"launchq""#) }, "the service name defaults to launchq")
        }
    }
}
