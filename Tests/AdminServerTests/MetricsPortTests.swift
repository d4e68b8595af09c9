import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Store
import Testing
import TestSupport

/// `launchq serve --metrics-listen 127.0.0.1:0` (the built binary): `/metrics` answers on a port of its own (printed
/// by serve, never guessed), serves nothing else, and after a reconcile carries the operator metrics.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct MetricsPortTests {
    static let metricsLine = "launchq serve metrics on http://"

    /// Status and body of a GET.
    static func get(_ url: String, token: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test("/metrics on its own port, with the new metrics after a reconcile", .timeLimit(.minutes(4)))
    func metricsOnTheirOwnPort() async throws {
        try await TestDatabase.withFreshDatabase { store, database in
            let sandbox = try await TestSandbox.start()
            let token = try await store.tokens.create(name: "metrics-reader", role: .viewer).secret
            try await Bundles.publish(Bundles.small(prefix: "metricsport"), to: store)
            let serve = try ServeProcess.start(
                name: "metrics-port", database: database, wandbURL: sandbox.baseURL, apiKey: sandbox.adminKey,
                extra: ["--interval", "1h", "--metrics-listen", "127.0.0.1:0"])
            do {
                try await serve.waitUntilUp()
                let line = try await serve.process.waitForOutputLine(startingWith: Self.metricsLine, timeout: .seconds(60))
                let address = line.dropFirst(Self.metricsLine.count).prefix { $0 != "/" && $0 != " " }
                let metricsPort = try #require(address.split(separator: ":").last.flatMap { Int($0) }, "\(line)")
                #expect(metricsPort != serve.port && metricsPort > 0)
                #expect(try await Self.get("http://127.0.0.1:\(serve.port)/v1/objects", token: token).0 == 200)

                // The run on start reconciles the small bundle; poll until its success is on the metrics port.
                let deadline = ContinuousClock.now + .seconds(90)
                var text = ""
                while true {
                    let (status, body) = try await Self.get("http://127.0.0.1:\(metricsPort)/metrics")
                    #expect(status == 200)
                    text = body
                    if text.contains(#"launchq_queue_pending_items{entity="metricsport",queue="gpu"} 0"#),
                        !text.contains("launchq_last_successful_reconcile_timestamp_seconds 0.0")
                    {
                        break
                    }
                    try #require(ContinuousClock.now < deadline, "no successful reconcile on the metrics port:\n\(text)")
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(text.contains(#"launchq_build_info{version="0.1.0"} 1"#), "\(text)")
                #expect(text.contains(#"launchq_http_requests_total{method="GET",route="/v1/objects",status="200"} 1"#), "\(text)")
                #expect(text.contains("launchq_http_request_duration_seconds_bucket{route=\"/v1/objects\""), "\(text)")
                #expect(text.contains(#"launchq_wandb_request_duration_seconds_bucket{operation="ReadEntities""#), "\(text)")
                #expect(text.contains(#"launchq_objects{state="ready"}"#), "\(text)")
                #expect(text.contains(#"launchq_queue_oldest_pending_seconds{entity="metricsport",queue="gpu"} 0"#), "\(text)")
                // Only /metrics there.
                #expect(try await Self.get("http://127.0.0.1:\(metricsPort)/v1/objects", token: token).0 == 404)
                #expect(!text.contains(sandbox.adminKey) && !text.contains(token))
            } catch {
                serve.process.terminate()
                _ = await serve.process.finish(timeout: .seconds(30))
                try? await sandbox.stop()
                throw error
            }
            serve.process.terminate()
            let result = await serve.process.finish(timeout: .seconds(30))
            try await sandbox.stop()
            #expect(result.status == 0, "\(result.both.suffix(3000))")
        }
    }
}
