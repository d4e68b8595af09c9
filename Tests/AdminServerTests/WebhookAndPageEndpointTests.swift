import AdminServer
import Declarations
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import JSON
import Logging
import Store
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// The git webhook, the status page's token cookie, and readiness against a database that is not ready.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct WebhookAndPageEndpointTests {
    @Test(.enabled(if: gitExecutable != nil, "needs git"))
    func aSignedPushPullsPublishesAndReconciles() async throws {
        let git = try #require(gitExecutable)
        let repository = try SourceTempDirectory("hook-repo")
        let checkout = try SourceTempDirectory("hook-checkout")
        let identity = ["GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com", "GIT_COMMITTER_NAME": "Ada",
                        "GIT_COMMITTER_EMAIL": "ada@example.com"]
        try await runCommand(git, ["init", "--quiet", "--initial-branch=main", repository.path])
        try repository.write("people.yaml", "apiVersion: launchq/v1\nkind: User\nemail: hook-one@example.com\n")
        try await runCommand(git, ["add", "."], in: repository.path)
        try await runCommand(git, ["commit", "--quiet", "-m", "one"], in: repository.path, environment: identity)
        try FileManager.default.removeItem(atPath: checkout.path)
        let source = GitSource(url: "file://\(repository.path)", branch: "main", checkout: checkout.path)
        let secret = "hook-secret-\(TestSandbox.randomKey())"

        try await AdminHarness.with(configure: { $0.webhookSecret = WebhookSecret(secret) }, source: source) { harness in
            try await harness.application.test(.router) { client in
                try await harness.waitForLeadership()
                let body = ByteBuffer(string: #"{"ref": "refs/heads/main"}"#)
                let signature = WebhookSignature.signature(body: Array(#"{"ref": "refs/heads/main"}"#.utf8), secret: Array(secret.utf8))
                try await client.execute(uri: "/v1/hooks/git", method: .post, body: body) { (response: TestResponse) async throws in
                    #expect(response.status == .unauthorized)
                    #expect(try AdminHarness.json(response.body)["error"]?["code"] == .string("bad_signature"))
                }
                try await client.execute(
                    uri: "/v1/hooks/git", method: .post, headers: [HTTPField.Name("X-Hub-Signature-256")!: "sha256=" + String(repeating: "0", count: 64)],
                    body: body
                ) { #expect($0.status == .unauthorized) }
                #expect(try await harness.store.revisions.current() == nil)

                let signed: HTTPFields = [HTTPField.Name("X-Hub-Signature-256")!: signature]
                try await client.execute(uri: "/v1/hooks/git", method: .post, headers: signed, body: body) { (response: TestResponse) async throws in
                    #expect(response.status == .accepted)
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["outcome"] == .string("published"))
                    #expect(answer["revision"] == .integer(1))
                }
                let revision = try #require(try await harness.store.revisions.current())
                #expect(revision.source.kind == "git")
                #expect(revision.source.commit?.count == 40)
                #expect(revision.source.author == "Ada <ada@example.com>")
                let deadline = ContinuousClock.now + .seconds(20)
                while try await harness.store.objects.status(of: ObjectKey(kind: "User", identity: "hook-one@example.com"))?.state != .ready {
                    try #require(ContinuousClock.now < deadline, "the webhook's revision was not reconciled")
                    try await Task.sleep(for: .milliseconds(50))
                }

                // An invalid commit is refused: nothing stored, an event says why.
                try repository.write("people.yaml", "apiVersion: launchq/v1\nkind: User\nemail: not-an-email\n")
                try await runCommand(git, ["commit", "--quiet", "-am", "broken"], in: repository.path, environment: identity)
                try await client.execute(uri: "/v1/hooks/git", method: .post, headers: signed, body: body) { (response: TestResponse) async throws in
                    #expect(response.status == .accepted)
                    #expect(try AdminHarness.json(response.body)["outcome"] == .string("refused"))
                }
                #expect(try await harness.store.revisions.current()?.number == 1)
                let events = try await harness.store.events.page(limit: 20, before: nil, object: nil).events
                #expect(events.contains { $0.draft.action == "revision.refused" && $0.draft.outcome == .refused })
            }
        }
    }

    @Test func theStatusPageTakesATokenOnceAndThenACookie() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/?token=lq_nope", method: .get) { #expect($0.status == .unauthorized) }
                var cookie = ""
                try await client.execute(uri: "/?token=\(harness.viewerToken)", method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/")
                    let setCookie = response.headers[.setCookie] ?? ""
                    #expect(setCookie.contains("HttpOnly"))
                    cookie = String(setCookie.split(separator: ";")[0])
                }
                #expect(cookie.hasPrefix("launchq_token="))
                try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                    #expect(String(buffer: response.body).contains("<html"))
                }
                try await client.execute(uri: "/", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func readyzIs503WhileMigrationsArePendingOrTheDatabaseIsUnreachable() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { store, _ in
            let client = try AdminHarness.clientFor("http://127.0.0.1:1", key: nil)
            let services = AdminServer.makeServices(
                configuration: AdminHarness.testConfiguration(), store: store, wandb: client, logger: AdminHarness.quietLogger)
            let app = AdminServer.buildApplication(services, migrate: false, runStore: false, logger: AdminHarness.quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get) { (response: TestResponse) async throws in
                    #expect(response.status == .serviceUnavailable)
                    let error = try AdminHarness.json(response.body)["error"]
                    #expect(error?["code"] == .string("unavailable"))
                    #expect(error?["details"]?["pending"]?.array?.isEmpty == false)
                }
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            }
        }
        // Nobody listens on port 1.
        let unreachable = try PostgresStore(configuration: .init(url: "postgres://nobody@127.0.0.1:1/none?sslmode=disable"), logger: AdminHarness.quietLogger)
        let services = AdminServer.makeServices(
            configuration: AdminHarness.testConfiguration(), store: unreachable, wandb: try AdminHarness.clientFor("http://127.0.0.1:1", key: nil),
            logger: AdminHarness.quietLogger)
        // The router alone: a database lost after start (the full application refuses to start without one).
        let app = Application(router: AdminServer.buildRouter(services), logger: AdminHarness.quietLogger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try AdminHarness.json(response.body)["error"]?["message"]?.string?.contains("127.0.0.1:1") == true)
            }
        }
    }
}
