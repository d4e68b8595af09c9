import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport
import WandbSandbox

/// The admin API over Hummingbird's router test client, against a real PostgreSQL and the sandbox.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct AdminAPITests {
    @Test func noTokenOrAWrongOneIs401() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/v1/objects", method: .get) { (response: TestResponse) async throws in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"launchq\"")
                    let body = try AdminHarness.json(response.body)
                    #expect(body["error"]?["code"] == .string("unauthorized"))
                    #expect(body["error"]?["message"]?.string?.contains("Authorization") == true)
                }
                try await client.execute(uri: "/v1/objects", method: .get, headers: AdminHarness.headers("lq_" + String(repeating: "0", count: 64))) {
                    #expect($0.status == .unauthorized)
                }
                try await client.execute(uri: "/v1/objects", method: .get, headers: [.authorization: "Basic Zm9vOmJhcg=="]) {
                    #expect($0.status == .unauthorized)
                }
                // A revoked token stops working.
                let revoked = try await harness.store.tokens.create(name: "old", role: .admin)
                try await harness.store.tokens.revoke(name: "old")
                try await client.execute(uri: "/v1/objects", method: .get, headers: AdminHarness.headers(revoked.secret)) {
                    #expect($0.status == .unauthorized)
                }
                // The open endpoints need nothing.
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func aViewerReadsButCannotWrite() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/v1/objects", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["count"] == .integer(0))
                }
                let body = AdminHarness.bundle(Bundles.small(prefix: "viewer"))
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.viewerToken, [.ifMatch: "0"]), body: body
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .forbidden)
                    #expect(try AdminHarness.json(response.body)["error"]?["code"] == .string("forbidden"))
                }
                for path in ["/v1/reconcile", "/v1/suspend", "/v1/resume"] {
                    try await client.execute(uri: path, method: .post, headers: AdminHarness.headers(harness.viewerToken)) {
                        #expect($0.status == .forbidden, "\(path)")
                    }
                }
                #expect(try await harness.store.revisions.current() == nil)
                // Validation is a read: viewers may.
                try await client.execute(uri: "/v1/validate", method: .post, headers: AdminHarness.headers(harness.viewerToken), body: body) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["valid"] == .bool(true))
                    #expect(answer["declarations"] == .integer(5))
                }
            }
        }
    }

    @Test func aStaleIfMatchIs412AndStoresNothing() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let admin = harness.adminToken
                let first = AdminHarness.bundle(Bundles.small(prefix: "stale"), source: ["kind": .string("git"), "commit": .string("abc123"), "location": .string("repo@main")])
                try await client.execute(uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin), body: first) { (response: TestResponse) async throws in
                    #expect(response.status == .preconditionRequired)
                }
                try await client.execute(uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "0"]), body: first) { (response: TestResponse) async throws in
                    #expect(response.status == .created)
                    #expect(response.headers[.eTag] == "\"1\"")
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["number"] == .integer(1))
                    #expect(answer["source"]?["commit"] == .string("abc123"))
                    #expect(answer["declarationCount"] == .integer(5))
                }
                // Someone else's view of the world: still "no revision yet".
                var changed = Bundles.small(prefix: "stale")
                changed.append(("extra.yaml", "apiVersion: launchq/v1\nkind: User\nemail: extra@example.com\n"))
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "0"]), body: AdminHarness.bundle(changed)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .preconditionFailed)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("revision_conflict"))
                    #expect(error?["details"]?["current"] == .integer(1))
                }
                #expect(try await harness.store.revisions.list(limit: 10, before: nil).count == 1)
                // With the right tag it goes in.
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "\"1\""]), body: AdminHarness.bundle(changed)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .created)
                    #expect(try AdminHarness.json(response.body)["number"] == .integer(2))
                }
                try await client.execute(uri: "/v1/revisions", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    #expect(response.headers[.eTag] == "\"2\"")
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["current"] == .integer(2))
                    #expect(answer["revisions"]?.array?.count == 2)
                }
                try await client.execute(uri: "/v1/revisions/1", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["declarations"]?.array?.count == 5)
                }
                try await client.execute(uri: "/v1/revisions/99", method: .get, headers: AdminHarness.headers(harness.viewerToken)) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test func aBodyOver4MiBIs413() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let big = "{\"files\": [{\"path\": \"a.yaml\", \"content\": \"" + String(repeating: "x", count: 4 * 1024 * 1024) + "\"}]}"
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: ByteBuffer(string: big)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .contentTooLarge)
                    #expect(try AdminHarness.json(response.body)["error"]?["code"] == .string("body_too_large"))
                }
                try await client.execute(
                    uri: "/v1/validate", method: .post, headers: AdminHarness.headers(harness.viewerToken), body: ByteBuffer(string: big)
                ) { #expect($0.status == .contentTooLarge) }
                #expect(try await harness.store.revisions.current() == nil)
            }
        }
    }

    @Test func badJSONIs400WithWhereItBroke() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let broken = "{\n  \"files\": [\n    {\"path\": \"a.yaml\", \"content\": \"x\",}\n  ]\n}"
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: ByteBuffer(string: broken)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("invalid_json"))
                    #expect(error?["details"]?["line"] == .integer(3))
                    #expect(error?["details"]?["column"] == .integer(39))
                    #expect(error?["message"]?.string?.contains("line 3, column 39") == true)
                }
                // Well-formed JSON of the wrong shape: where, as a JSON Pointer.
                try await client.execute(
                    uri: "/v1/validate", method: .post, headers: AdminHarness.headers(harness.viewerToken),
                    body: ByteBuffer(string: "{\"files\": [{\"path\": \"a.yaml\", \"content\": 7}]}")
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("invalid_json"))
                    #expect(error?["details"]?["path"] == .string("/files/0/content"))
                }
            }
        }
    }

    @Test func anInvalidBundleIsRefusedAndNothingIsStored() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                var files = Bundles.small(prefix: "bad")
                files.append(("queues/broken.yaml", """
                    apiVersion: launchq/v1
                    kind: RunQueue
                    entity: bad
                    name: broken
                    resource_type: kubernetes
                    resource_config:
                      spec: {gpus: "{{undeclared}}"}
                    """))
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(files)
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("invalid_bundle"))
                    let diagnostics = error?["details"]?["diagnostics"]?.array ?? []
                    #expect(!diagnostics.isEmpty)
                    #expect(diagnostics.contains { $0["file"] == .string("queues/broken.yaml") && $0["line"]?.integerValue ?? 0 > 1 })
                }
                #expect(try await harness.store.revisions.current() == nil)
                #expect(try await harness.store.count("revisions") == 0)
                #expect(try await harness.store.count("revision_declarations") == 0)
                #expect(try await harness.sandbox.counters().total == 0)
            }
        }
    }

    @Test func openEndpoints() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["status"] == .string("ready"))
                }
                try await client.execute(uri: "/metrics", method: .get) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.contains("launchq_lease_held"))
                    #expect(text.contains("launchq_reconcile_runs_total"))
                }
                try await client.execute(uri: "/no/such/route", method: .get) { (response: TestResponse) async throws in
                    #expect(response.status == .notFound)
                    #expect(try AdminHarness.json(response.body)["error"]?["code"] == .string("not_found"))
                }
            }
        }
    }
}
