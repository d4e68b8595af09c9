import JSON
import TestSupport
import Declarations
import Foundation
import Store
import Testing
import WandbSandbox

/// The admin API of a running `launchq serve` (the built binary) against a corpus of hostile requests: each gets
/// a JSON error `{"error": {"code", "message", ...}}` with the right status, never a crash; names made to break
/// SQL, GraphQL and HTML come back byte-identical and reach W&B unchanged; the status page escapes them.
@Suite(.enabled(if: FaultsSupport.shouldRun, FaultsSupport.skipReason), .serialized)
struct HostileInputTests {
    /// One case of the corpus: a request and the status it must get.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: String
        var path: String
        var headers: [(String, String)] = []
        var body: [UInt8]?
        var token: Token = .admin
        var statuses: Set<Int>
        /// `/v1/validate` answers 200 with `valid: false` for a well-formed bundle of invalid declarations.
        var invalidBundle = false
        /// Not HTTP at all: the HTTP layer answers a bare 400 and closes, before any route or middleware.
        var notHTTP = false
        enum Token: Sendable { case none, admin, viewer }
        var description: String { name }
    }

    static let entity = "hostile"
    /// Queue names made to break SQL, GraphQL strings, HTML, format strings and templates (all valid names).
    static let names = [
        "q'); DROP TABLE objects; --",
        #"q" } } mutation { deleteRunQueues(input: {}) { success } } #"#,
        #"<script>alert("launchq")</script>&amp;"#,
        #"q\'\\" %s %n $1 {{gpus}} ${HOME} `id`"#,
        "é 日本語 🚀 \u{202E}rtl \u{FEFF}bom",
        "q -- /* comment */ ; SELECT pg_sleep(10)",
    ]

    static func bundle(_ files: [(String, String)]) -> [UInt8] {
        let object: [String: Any] = ["files": files.map { ["path": $0.0, "content": $0.1] }]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func queueFiles() -> [(String, String)] {
        var files = [("team.yaml", "apiVersion: launchq/v1\nkind: Team\nname: \(entity)\n")]
        for (index, name) in names.enumerated() {
            let document: [String: Any] = [
                "apiVersion": "launchq/v1", "kind": "RunQueue", "entity": entity, "name": name, "resource_type": "local-container",
                "resource_config": ["env": ["A=1"]],
            ]
            let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
            files.append(("queues/\(index).json", String(decoding: data, as: UTF8.self)))
        }
        return files
    }

    static var corpus: [Case] {
        let json = [("Content-Type", "application/json")]
        var random = SystemRandomNumberGenerator()
        let binary = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        let validBundle = bundle([("a.yaml", "apiVersion: launchq/v1\nkind: Team\nname: other\n")])
        return [
            Case(name: "binary body", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")], body: binary, statuses: [400]),
            Case(name: "binary body to validate", method: "POST", path: "/v1/validate", headers: json, body: binary, token: .viewer, statuses: [400]),
            Case(
                name: "invalid UTF-8 in a string", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: Array(#"{"files": [{"path": "a.yaml", "content": ""#.utf8) + [0xff, 0xfe, 0xc3, 0x28] + Array(#""}]}"#.utf8),
                statuses: [400]),
            Case(
                name: "invalid UTF-8 in a file name", method: "POST", path: "/v1/validate", headers: json,
                body: Array(#"{"files": [{"path": "a"#.utf8) + [0xed, 0xa0, 0x80] + Array(#".yaml", "content": "x: 1"}]}"#.utf8),
                token: .viewer, statuses: [400]),
            Case(
                name: "100k nested [", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: [UInt8](repeating: UInt8(ascii: "["), count: 100_000), statuses: [400]),
            Case(
                name: "100k nested {\"a\":", method: "POST", path: "/v1/validate", headers: json,
                body: Array(String(repeating: #"{"a":"#, count: 100_000).utf8), token: .viewer, statuses: [400]),
            Case(
                name: "100k nested [ inside a declaration", method: "POST", path: "/v1/validate", headers: json,
                body: bundle([("deep.json", String(repeating: "[", count: 100_000))]), token: .viewer, statuses: [200], invalidBundle: true),
            Case(
                name: "5 MiB body", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: Array(#"{"files": [{"path": "a.yaml", "content": ""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 5 << 20)
                    + Array(#""}]}"#.utf8),
                statuses: [413]),
            Case(name: "text/plain", method: "POST", path: "/v1/revisions", headers: [("Content-Type", "text/plain"), ("If-Match", "*")], body: validBundle, statuses: [415]),
            Case(
                name: "form post", method: "POST", path: "/v1/revisions",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("If-Match", "*")], body: Array("files=a".utf8), statuses: [415]),
            Case(
                name: "multipart", method: "POST", path: "/v1/validate", headers: [("Content-Type", "multipart/form-data; boundary=x")],
                body: Array("--x\r\n\r\n--x--".utf8), token: .viewer, statuses: [415]),
            Case(name: "JSON array instead of a bundle", method: "POST", path: "/v1/validate", headers: json, body: Array("[1,2]".utf8), token: .viewer, statuses: [400]),
            Case(name: "empty body", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")], body: [], statuses: [400]),
            Case(
                name: "NUL in a queue name", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: bundle([("nul.json", #"{"apiVersion": "launchq/v1", "kind": "RunQueue", "entity": "hostile", "name": "a\u0000b", "resource_type": "local-process"}"#)]),
                statuses: [400]),
            Case(
                name: "control characters in a queue name", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: bundle([("ctl.json", #"{"apiVersion": "launchq/v1", "kind": "RunQueue", "entity": "hostile", "name": "a\tb\nc\u0007", "resource_type": "local-process"}"#)]),
                statuses: [400]),
            Case(
                name: "NUL in an email", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")],
                body: bundle([("nul.json", #"{"apiVersion": "launchq/v1", "kind": "User", "email": "a\u0000b@example.com"}"#)]),
                statuses: [400]),
            Case(name: "a 60 KiB bearer token", method: "GET", path: "/v1/objects", headers: [("Authorization", "Bearer " + String(repeating: "x", count: 60_000))], token: .none, statuses: [401, 431, 400]),
            Case(name: "a 60 KiB header", method: "GET", path: "/v1/objects", headers: [("X-Junk", String(repeating: "y", count: 60_000))], statuses: [200, 431, 400]),
            Case(
                name: "a token with control bytes (not HTTP)", method: "GET", path: "/v1/objects", headers: [("Authorization", "Bearer abc\u{1}\u{7f}def")],
                token: .none, statuses: [400], notHTTP: true),
            Case(name: "a space in the path (not HTTP)", method: "GET", path: "/v1/objects /x", statuses: [400], notHTTP: true),
            Case(name: "traversal", method: "GET", path: "/v1/objects/../../etc/passwd", statuses: [404, 400]),
            Case(name: "encoded traversal", method: "GET", path: "/v1/objects/%2e%2e/%2e%2e/etc/passwd", statuses: [404, 400]),
            Case(name: "encoded slashes", method: "GET", path: "/v1/objects/RunQueue/..%2f..%2f..%2fetc%2fpasswd", statuses: [404, 400]),
            Case(name: "traversal at the root", method: "GET", path: "/../../../etc/passwd", token: .none, statuses: [404, 400]),
            Case(name: "traversal to the status page", method: "GET", path: "/v1/../", token: .none, statuses: [401, 404, 400]),
            Case(name: "revision number not a number", method: "GET", path: "/v1/revisions/1%20OR%201=1", statuses: [400, 404]),
            Case(name: "revision number huge", method: "GET", path: "/v1/revisions/99999999999999999999999", statuses: [400, 404]),
            Case(name: "events limit hostile", method: "GET", path: "/v1/events?limit=-1;DROP%20TABLE%20events", statuses: [400]),
            Case(name: "objects state hostile", method: "GET", path: "/v1/objects?state=%27%20OR%201=1--", statuses: [400]),
            Case(name: "unknown route", method: "GET", path: "/nope", token: .none, statuses: [404]),
            Case(name: "unknown v1 route", method: "GET", path: "/v1/nope", statuses: [404]),
            Case(name: "DELETE objects", method: "DELETE", path: "/v1/objects", statuses: [405]),
            Case(name: "PUT revisions", method: "PUT", path: "/v1/revisions", headers: json, body: validBundle, statuses: [405]),
            Case(name: "PATCH healthz", method: "PATCH", path: "/healthz", token: .none, statuses: [405]),
            Case(name: "GET reconcile", method: "GET", path: "/v1/reconcile", statuses: [405]),
            Case(name: "webhook without a signature", method: "POST", path: "/v1/hooks/git", headers: json, body: binary, token: .none, statuses: [401, 404]),
            Case(name: "viewer pushes", method: "POST", path: "/v1/revisions", headers: json + [("If-Match", "*")], body: validBundle, token: .viewer, statuses: [403]),
            Case(name: "no token", method: "GET", path: "/v1/events", token: .none, statuses: [401]),
        ]
    }

    @Test(.timeLimit(.minutes(4)))
    func hostileRequestsGetJSONErrorsAndHostileNamesRoundTrip() async throws {
        try await FaultsServeTests.withStack { stack in
            let viewer = try await stack.store.tokens.create(name: "hostile-viewer", role: .viewer).secret
            let revisionsBefore = try await stack.store.count("revisions")

            // The corpus: right status, a JSON error body, nothing stored.
            var seen: [String] = []
            defer { print("HostileInputTests: " + seen.joined(separator: "; ")) }
            for item in Self.corpus {
                let token: String? = switch item.token {
                case .none: nil
                case .admin: stack.admin
                case .viewer: viewer
                }
                let answer: HostileHTTP.Answer
                do {
                    answer = try await stack.http.send(item.method, item.path, headers: item.headers, body: item.body, token: token)
                } catch {
                    Issue.record("\(item): no answer: \(error)")
                    continue
                }
                seen.append("\(item.name) \(answer.status)")
                #expect(item.statuses.contains(answer.status), "\(item): \(answer)")
                if answer.status == 405 { #expect(answer.header("Allow")?.isEmpty == false, "\(item): no Allow header") }
                if item.invalidBundle { #expect(answer.json?["valid"] as? Bool == false, "\(item): \(answer)") }
                if answer.status >= 400, !item.notHTTP {
                    #expect(answer.errorCode != nil, "\(item): not a JSON error: \(answer)")
                    #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true, "\(item): \(answer.headers)")
                }
                #expect(!answer.text.contains("root:"), "\(item) served a file: \(answer)")
                #expect(try await stack.http.send("GET", "/healthz").status == 200, "unhealthy after \(item)")
            }
            #expect(try await stack.store.count("revisions") == revisionsBefore, "a refused request stored a revision")

            // Hostile names through POST /v1/revisions: stored, reconciled, read back byte for byte.
            let pushed = try await stack.http.send(
                "POST", "/v1/revisions", headers: [("Content-Type", "application/json"), ("If-Match", "*")], body: Self.bundle(Self.queueFiles()),
                token: stack.admin)
            #expect(pushed.status == 201, "\(pushed)")
            try await FaultsServeTests.waitUntilReady(stack, Self.entity, Self.names)
            let objects = try await stack.http.send("GET", "/v1/objects?kind=RunQueue", token: viewer)
            let ids = Set((objects.json?["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(ids == Set(Self.names.map { "\(Self.entity)/\($0)" }), "GET /v1/objects: \(ids)")
            for name in Self.names {
                let encoded = "\(Self.entity)/\(name)".addingPercentEncoding(withAllowedCharacters: .alphanumerics.subtracting(.nonBaseCharacters))!
                let one = try await stack.http.send("GET", "/v1/objects/RunQueue/\(encoded)", token: viewer)
                #expect(one.status == 200 && one.json?["id"] as? String == "\(Self.entity)/\(name)", "GET one \(name.debugDescription): \(one)")
            }
            let listed = try await FaultsSupport.sdkQueues(entities: [Self.entity], baseURL: stack.sandbox.baseURL, apiKey: stack.key)[Self.entity] ?? []
            #expect(Set(listed.map(\.name)) == Set(Self.names), "names on W&B: \(listed.map { $0.name.debugDescription })")
            for queue in listed {
                #expect(queue.config == .object(["resource_args": .object(["local-container": .object(["env": .array([.string("A=1")])])])]), "config of \(queue.name.debugDescription): \(String(describing: queue.config))")
            }

            // The status page escapes them.
            let page = try await stack.http.send("GET", "/", token: viewer)
            #expect(page.status == 200, "\(page)")
            #expect(!page.text.contains("<script>alert"), "the status page does not escape names")
            #expect(page.text.contains("&lt;script&gt;alert"), "the hostile queue is not on the status page")
            #expect(!page.text.contains(#"q" } } mutation"#), "a double quote is not escaped on the status page")

            // Still healthy and serving.
            #expect(stack.serve.process.isRunning)
            #expect(try await stack.http.send("GET", "/readyz").status == 200)
        }
    }
}
