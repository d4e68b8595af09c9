import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Store
import Testing
import TestSupport

/// `launchq serve --log-format json` (the built binary): every log line is a JSON object, each HTTP request has one
/// line with method, route, status and duration, and no line holds a token, a query string or a secret; a clean
/// start logs no warning.
@Suite("request logs", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct RequestLogTests {
    /// `method` `path` with `headers`; the status code.
    static func request(_ port: Int, _ method: HTTPMethod, _ path: String, headers: [(String, String)] = []) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == .POST { request.body = .bytes(ByteBuffer(string: "{}")) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Int(response.status.code)
    }

    @Test("one JSON line per request, parseable, without tokens or query strings; no warning on a clean start", .timeLimit(.minutes(4)))
    func jsonRequestLines() async throws {
        let folder = try Repository.temporaryFolder("launchq-request-logs")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withFreshDatabase { store, database in
            let sandbox = try await TestSandbox.start()
            let token = try await store.tokens.create(name: "log-reader", role: .admin).secret
            let webhookSecret = "webhook-" + TestSandbox.randomKey()
            let secretFile = folder.appendingPathComponent("webhook-secret")
            try Data((webhookSecret + "\n").utf8).write(to: secretFile)
            var environment = Repository.environment.filter {
                !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL"
            }
            environment["DATABASE_URL"] = TestDatabase.url(of: database)
            environment["WANDB_BASE_URL"] = sandbox.baseURL
            environment["WANDB_API_KEY"] = sandbox.adminKey
            environment["LAUNCHQ_WEBHOOK_SECRET_FILE"] = secretFile.path
            let process = try ChildProcess(
                try LaunchqBinary.require(), arguments: ["serve", "--listen", "127.0.0.1:0", "--interval", "1h", "--log-format", "json"],
                environment: environment)
            let serve = ServeProcess(name: "request-logs", process: process)
            try await serve.waitUntilUp()
            let port = serve.port

            let bearer = [("Authorization", "Bearer \(token)")]
            #expect(try await Self.request(port, .GET, "/v1/objects", headers: bearer) == 200)
            #expect(try await Self.request(port, .GET, "/v1/objects?kind=RunQueue", headers: bearer) == 200)
            // The status page takes a token in the query once, sets a cookie and redirects (the client follows
            // without the cookie: 401); the query string must not reach the log.
            #expect(try await Self.request(port, .GET, "/?token=\(token)") == 401)
            #expect(try await Self.request(port, .GET, "/v1/objects", headers: [("Authorization", "Bearer lq_" + String(repeating: "0", count: 64))]) == 401)
            #expect(try await Self.request(port, .GET, "/no/such/\(token)") == 404)
            // No git source, so the webhook is off whatever the secret: 404, logged under its route.
            #expect(try await Self.request(port, .POST, "/v1/hooks/git", headers: [("X-Hub-Signature-256", "sha256=" + String(repeating: "0", count: 64))]) == 404)

            serve.process.terminate()
            let result = await serve.process.finish(timeout: .seconds(30))
            try await sandbox.stop()
            #expect(result.status == 0, "\(result.both.suffix(3000))")

            let lines = result.errors.split(separator: "\n").map(String.init)
            var records: [JSONValue] = []
            for line in lines {
                let record = try? JSONValue(parsing: line)
                #expect(record?["level"]?.string != nil && record?["message"]?.string != nil && record?["time"]?.string != nil, "not a JSON log line: \(line)")
                if let record { records.append(record) }
            }
            let requests = records.filter { $0["message"]?.string == "request" }
            func has(_ method: String, _ route: String, _ status: String) -> Bool {
                requests.contains { $0["method"]?.string == method && $0["route"]?.string == route && $0["status"]?.string == status }
            }
            #expect(requests.count >= 8, "\(requests)")
            #expect(requests.filter { $0["route"]?.string == "/v1/objects" && $0["status"]?.string == "200" }.count == 2, "\(requests)")
            #expect(has("GET", "/v1/objects", "401") && has("GET", "/", "303") && has("GET", "/", "401"), "\(requests)")
            #expect(has("GET", "NotFound", "404") && has("POST", "/v1/hooks/git", "404"), "\(requests)")
            #expect(requests.allSatisfy { Double($0["duration_ms"]?.string ?? "") != nil }, "\(requests)")

            let everything = result.output + result.errors
            for secret in [token, webhookSecret, sandbox.adminKey] {
                #expect(!everything.contains(secret), "a secret appears in serve's output")
            }
            #expect(!everything.contains("token="), "a query string appears in the logs")
            let warnings = records.filter { ["warning", "error", "critical"].contains($0["level"]?.string ?? "") }
            #expect(warnings.isEmpty, "a clean start and stop logs no warning: \(warnings)")
        }
    }
}
