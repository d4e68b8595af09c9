import AdminServer
import Declarations
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport

/// `POST /v1/revisions`: one owner of the desired state (a `--source` or pushes, never both) and bundle
/// paths held to the directory source's rule. Real PostgreSQL and the sandbox behind the router.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct RevisionPushRulesTests {
    /// A git URL with credentials that nobody answers (port 1): the push must be refused before any pull.
    static let credentialedURL = "https://ada:s3cr3t-in-url@127.0.0.1:1/acme/queues.git"

    @Test func aPushToAGitManagedServiceIs409NamingTheSourceWithoutItsCredentials() async throws {
        let checkout = try SourceTempDirectory("managed-checkout")
        try FileManager.default.removeItem(atPath: checkout.path)
        let source = GitSource(url: Self.credentialedURL, branch: "main", checkout: checkout.path)
        try await AdminHarness.with(source: source) { harness in
            try await harness.application.test(.router) { client in
                for ifMatch in ["*", "0"] {
                    try await client.execute(
                        uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: ifMatch]),
                        body: AdminHarness.bundle(Bundles.small(prefix: "managed"))
                    ) { (response: TestResponse) async throws in
                        #expect(response.status == .conflict)
                        let text = String(buffer: response.body)
                        #expect(!text.contains("s3cr3t-in-url") && !text.contains("ada:"), "a credential leaked: \(text)")
                        let error = try AdminHarness.json(response.body)["error"]
                        #expect(error?["code"] == .string("source_managed"))
                        #expect(error?["message"]?.string?.contains("git https://***@127.0.0.1:1/acme/queues.git@main") == true, "\(text)")
                        #expect(error?["details"]?["source"]?["kind"] == .string("git"))
                        #expect(error?["details"]?["source"]?["location"] == .string("https://***@127.0.0.1:1/acme/queues.git@main"))
                    }
                }
                // Nothing stored: no revision, no publish event.
                #expect(try await harness.store.revisions.current() == nil)
                #expect(try await harness.store.revisions.list(limit: 10, before: nil).isEmpty)
                let events = try await harness.store.events.page(limit: 50, before: nil, object: nil).events
                #expect(!events.contains { $0.draft.action == "revision.publish" })
                // Validation stores nothing and stays open.
                try await client.execute(
                    uri: "/v1/validate", method: .post, headers: AdminHarness.headers(harness.viewerToken),
                    body: AdminHarness.bundle(Bundles.small(prefix: "managed"))
                ) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func aPushToADirectoryManagedServiceIs409AndTheSourceStaysCurrent() async throws {
        let directory = try SourceTempDirectory("managed-dir")
        try directory.write("people.yaml", "apiVersion: launchq/v1\nkind: User\nemail: managed-dir@example.com\n")
        let source = DirectorySource(path: directory.path)
        try await AdminHarness.with(source: source) { harness in
            let synced = try await SourceSync(source: source, store: harness.store, logger: AdminHarness.quietLogger).sync(pull: false)
            #expect(synced == .published(1))
            try await harness.application.test(.router) { client in
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "1"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "pushed"))
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .conflict)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("source_managed"))
                    #expect(error?["message"]?.string?.contains("directory \(directory.path)") == true)
                }
            }
            let current = try #require(try await harness.store.revisions.current())
            #expect(current.number == 1)
            #expect(current.source.kind == "directory")
            #expect(try await harness.store.revisions.list(limit: 10, before: nil).count == 1)
        }
    }

    @Test func withoutASourcePushesAreTheSourceAndUnsafePathsAre400NamingThem() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let user = "apiVersion: launchq/v1\nkind: User\nemail: paths@example.com\n"
                let refused: [(files: [(String, String)], named: String)] = [
                    ([("/etc/x.yaml", user)], "/etc/x.yaml"),
                    ([("../../etc/x.yaml", user)], "../../etc/x.yaml"),
                    ([("queues/../../x.yaml", user)], "queues/../../x.yaml"),
                    ([("a.yaml", user), ("./a.yaml", user)], "./a.yaml"),
                    ([("queues/a.yaml", user), ("queues/a.yaml", user)], "queues/a.yaml"),
                ]
                for (files, named) in refused {
                    for endpoint in ["/v1/revisions", "/v1/validate"] {
                        try await client.execute(
                            uri: endpoint, method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "*"]),
                            body: AdminHarness.bundle(files)
                        ) { (response: TestResponse) async throws in
                            #expect(response.status == .badRequest, "\(endpoint) \(named)")
                            let error = try AdminHarness.json(response.body)["error"]
                            #expect(error?["code"] == .string("bad_request"), "\(endpoint) \(named)")
                            #expect(error?["message"]?.string?.contains("'\(named)'") == true, "\(endpoint): \(String(buffer: response.body))")
                            #expect(error?["details"]?["file"] == .string(named))
                            #expect(error?["details"]?["path"] == .string("/files/\(files.count - 1)/path"))
                        }
                    }
                }
                #expect(try await harness.store.revisions.current() == nil)
                // The same declarations under a safe path are stored: pushes are the source.
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "0"]),
                    body: AdminHarness.bundle([("people/x.yaml", user)])
                ) { #expect($0.status == .created) }
                #expect(try await harness.store.revisions.current()?.number == 1)
            }
        }
    }
}
