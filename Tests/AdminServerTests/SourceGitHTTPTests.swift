import AdminServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A git repository served over HTTP ("dumb" protocol: static files after `git update-server-info`) by an
/// in-process Hummingbird server that demands Basic credentials, as a private GitHub/GitLab repository does.
@Suite("Git source over HTTP with credentials", .enabled(if: gitExecutable != nil, "needs the git command"))
struct SourceGitHTTPTests {
    @Test("credentials reach the server as Basic auth; they are never written to .git/config nor shown")
    func credentialsAsHeader() async throws {
        let git = try #require(gitExecutable)
        let work = try SourceTempDirectory("work")
        try await runCommand(git, ["init", "--quiet", "--initial-branch=main", work.path])
        try work.write("queues/a.yaml", "kind: RunQueue\n")
        try await runCommand(git, ["add", "--all"], in: work.path)
        let identity = ["GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
                        "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com"]
        try await runCommand(git, ["commit", "--quiet", "-m", "first"], in: work.path, environment: identity)
        let served = try SourceTempDirectory("served")
        try await runCommand(git, ["clone", "--quiet", "--bare", work.path, served.path + "/decls.git"])
        try await runCommand(git, ["update-server-info"], in: served.path + "/decls.git")

        // "bot" / "t@k:en" percent-encoded in the URL, as a token with ':' or '@' must be.
        let expected = "Basic " + Data("bot:t@k:en".utf8).base64EncodedString()
        let seen = Mutex<[String]>([])
        let root = served.path
        let router = Router()
        router.get("**") { request, _ -> Response in
            let authorization = request.headers[.authorization] ?? "(none)"
            seen.withLock { $0.append(authorization) }
            guard authorization == expected else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"git\""])
            }
            let path = request.uri.path
            guard !path.contains(".."), let data = FileManager.default.contents(atPath: root + path) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let checkout = try SourceTempDirectory("checkout")
            let url = "http://bot:t%40k%3Aen@127.0.0.1:\(port)/decls.git"
            let source = try #require(try GitSource.parse("git+\(url)@main", checkout: checkout.path + "/c") as? GitSource)
            #expect(source.location == "http://***@127.0.0.1:\(port)/decls.git@main")
            let snapshot = try await source.snapshot()
            #expect(snapshot.files.map(\.path) == ["queues/a.yaml"])
            #expect(snapshot.location == source.location)
            #expect(seen.withLock { $0.contains(expected) })
            let config = try String(contentsOfFile: checkout.path + "/c/.git/config", encoding: .utf8)
            #expect(!config.contains("bot") && !config.contains("t%40k") && !config.contains("t@k"))
            #expect(config.contains("url = http://127.0.0.1:\(port)/decls.git"))
            // A pull sends the header again (it is not stored anywhere git would find it).
            try await source.pull()
            #expect(seen.withLock { $0.filter { $0 == expected }.count } >= 2)

            // The wrong password: refused by the server, a clear error without the secret.
            let wrong = GitSource(url: "http://bot:nope-secret@127.0.0.1:\(port)/decls.git", branch: "main", checkout: checkout.path + "/d")
            let error = await #expect(throws: SourceError.self) { try await wrong.pull() }
            #expect(error?.code == .gitFailed)
            #expect(error?.message.contains("nope-secret") == false)
        }
    }
}
