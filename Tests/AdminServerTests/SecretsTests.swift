import TestSupport
import AdminServer
import Declarations
import Foundation
import PostgresNIO
import PostgresCluster
import Store
import Testing
import WandbSandbox

/// The whole flow with known secrets — the W&B API key, a database password, admin and viewer tokens, the webhook
/// secret — and every byte it produces searched for each of them: the output of every process (`serve` at trace
/// level, `apply`, `plan --format json`, `import`, `token list`), every HTTP answer, every file written, every row of
/// every table. The one allowed place is the secret `launchq token create` prints once.
@Suite(.enabled(if: FaultsSupport.shouldRun, FaultsSupport.skipReason), .serialized)
struct SecretsTests {
    static func secret(_ label: String) -> String { "\(label)-\(TestSandbox.randomKey())" }

    /// Runs the built `launchq` with `environment` (nothing inherited from the test's own W&B, launchq or PG settings).
    static func launchq(_ arguments: [String], _ environment: [String: String], in directory: String? = nil) async throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: LaunchqBinary.path), "no launchq binary: swift build --build-tests")
        var base = Repository.environment.filter {
            !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL"
        }
        base.merge(environment) { $1 }
        return try await ChildProcess.run(LaunchqBinary.path, arguments: arguments, environment: base, workingDirectory: directory, timeout: .seconds(120))
    }

    @Test(.timeLimit(.minutes(4)))
    func noSecretAppearsAnywhere() async throws {
        try await FaultsSupport.withOwnPostgres { cluster, store, _ in
            let apiKey = Self.secret("wandbkey")
            let webhookSecret = Self.secret("hooksecret")
            // Trust authentication accepts any password: the one in the URL must still never be shown.
            let databasePassword = Self.secret("dbpassword")
            let databaseURL = "postgres://postgres:\(databasePassword)@127.0.0.1:\(cluster.port)/postgres?sslmode=disable"
            let sandbox = try await TestSandbox.start { $0.adminAPIKey = apiKey }.server
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-secrets-\(UUID().uuidString)").path
            defer {
                try? FileManager.default.removeItem(atPath: work)
                Task { try? await sandbox.stop() }
            }
            var produced: [(String, String)] = []  // (where, bytes as text)
            func record(_ place: String, _ result: ChildProcess.Result) { produced.append((place, result.output + "\n" + result.errors)) }

            // Declarations, as a folder and as a git repository (the webhook's source).
            let declarations = work + "/declarations"
            try FileManager.default.createDirectory(atPath: declarations, withIntermediateDirectories: true)
            let (file, content) = FaultsServeTests.queues("secrets", ["alpha", "beta"])
            try content.write(toFile: declarations + "/" + file, atomically: true, encoding: .utf8)
            for arguments in [["init", "-q", "-b", "main"], ["add", "."], ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "queues"]] {
                let git = try await ChildProcess.run("/usr/bin/git", arguments: arguments, environment: Repository.environment, workingDirectory: declarations)
                try #require(git.status == 0, "git \(arguments): \(git.both)")
            }
            try webhookSecret.write(toFile: work + "/webhook-secret", atomically: true, encoding: .utf8)
            let database = ["DATABASE_URL": databaseURL]
            let wandb = ["WANDB_BASE_URL": sandbox.baseURL, "WANDB_API_KEY": apiKey]

            // Tokens from the command line: the secret is printed once, alone on the last line.
            let createdAdmin = try await Self.launchq(["token", "create", "--name", "secrets-admin", "--role", "admin"], database)
            let createdViewer = try await Self.launchq(["token", "create", "--name", "secrets-viewer", "--role", "viewer"], database)
            try #require(createdAdmin.status == 0 && createdViewer.status == 0, "\(createdAdmin.both)\n\(createdViewer.both)")
            let admin = try #require(createdAdmin.output.split(separator: "\n").last.map(String.init))
            let viewer = try #require(createdViewer.output.split(separator: "\n").last.map(String.init))
            #expect(!createdAdmin.errors.contains(admin) && !createdAdmin.output.contains(databasePassword))
            let secrets = ["W&B API key": apiKey, "webhook secret": webhookSecret, "database password": databasePassword, "admin token": admin, "viewer token": viewer]
            record("token list", try await Self.launchq(["token", "list", "--all"], database))
            let badDatabase = try await Self.launchq(
                ["token", "list"], ["DATABASE_URL": "postgres://postgres:\(databasePassword)@127.0.0.1:1/postgres?sslmode=disable"])
            #expect(badDatabase.status != 0)
            record("token list against an unreachable database", badDatabase)

            // The command line against W&B: plan (text, json, saved), apply, a rejected key, import.
            record("plan --format json", try await Self.launchq(["plan", declarations, "--format", "json", "--out", work + "/plan.json"], wandb))
            record("plan", try await Self.launchq(["plan", declarations], wandb))
            let applied = try await Self.launchq(["apply", declarations, "--auto-approve"], wandb)
            #expect(applied.status == 0, "\(applied.both)")
            record("apply", applied)
            let rejected = try await Self.launchq(["plan", declarations], ["WANDB_BASE_URL": sandbox.baseURL, "WANDB_API_KEY": Self.secret("wrongkey")])
            #expect(rejected.status == 1)
            record("plan with a rejected key", rejected)
            record("import", try await Self.launchq(["import", "--entity", "secrets", "--out", work + "/imported"], wandb))

            // launchq serve at trace level, following the git repository, with the webhook secret.
            let serve = try ChildProcess(
                LaunchqBinary.path,
                arguments: [
                    "serve", "--listen", "127.0.0.1:0", "--log-level", "trace", "--interval", "1h", "--git-url", "file://" + declarations,
                    "--git-branch", "main", "--git-checkout", work + "/checkout", "--webhook-secret-file", work + "/webhook-secret",
                ],
                environment: Repository.environment.filter { !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
                    .merging(database.merging(wandb) { $1 }) { $1 })
            var answers: [(String, HostileHTTP.Answer)] = []
            do {
                // Port 0: serve prints the port the kernel gave it.
                let http = HostileHTTP(port: try await ServeProcess.listeningPort(of: serve))
                let deadline = ContinuousClock.now + .seconds(60)
                while (try? await http.send("GET", "/healthz"))?.status != 200 {
                    try #require(serve.isRunning && ContinuousClock.now < deadline, "serve did not start")
                    try await Task.sleep(for: .milliseconds(100))
                }
                func call(_ method: String, _ path: String, token: String?, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws {
                    answers.append(("\(method) \(path)", try await http.send(method, path, headers: headers, body: body, token: token)))
                }
                // The git source's first revision is published and reconciled before anything is pushed: a push racing
                // the first sync would meet a moving current revision (412).
                try await Self.waitUntilReady(["secrets/alpha", "secrets/beta"], http: http, token: viewer)
                // Pushes with each kind of secret (answers searched below). A push to a git-sourced service may be
                // refused; the revision that matters comes from git, through the signed webhook.
                let pushBody = HostileInputTests.bundle([FaultsServeTests.queues("secrets", ["alpha", "beta", "gamma"])])
                try await call("POST", "/v1/revisions", token: admin, headers: [("Content-Type", "application/json"), ("If-Match", "*")], body: pushBody)
                try await call("POST", "/v1/revisions", token: viewer, headers: [("Content-Type", "application/json"), ("If-Match", "*")], body: pushBody)
                #expect(answers.last?.1.status == 403, "a viewer's push: \(String(describing: answers.last?.1))")
                try await call("POST", "/v1/revisions", token: apiKey, headers: [("Content-Type", "application/json"), ("If-Match", "*")], body: pushBody)
                #expect(answers.last?.1.status == 401, "a push with the W&B key as token: \(String(describing: answers.last?.1))")
                let (file2, content2) = FaultsServeTests.queues("secrets", ["alpha", "beta", "delta"])
                try content2.write(toFile: declarations + "/" + file2, atomically: true, encoding: .utf8)
                for arguments in [["add", "."], ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "delta"]] {
                    let git = try await ChildProcess.run("/usr/bin/git", arguments: arguments, environment: Repository.environment, workingDirectory: declarations)
                    try #require(git.status == 0, "git \(arguments): \(git.both)")
                }
                let hookBody = Array(#"{"ref": "refs/heads/main"}"#.utf8)
                let wrong = WebhookSignatureForTests.sign(hookBody, secret: "not-the-secret")
                try await call("POST", "/v1/hooks/git", token: nil, headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", wrong)], body: hookBody)
                #expect(answers.last?.1.status == 401, "a wrong webhook signature: \(String(describing: answers.last?.1))")
                let right = WebhookSignatureForTests.sign(hookBody, secret: webhookSecret)
                try await call("POST", "/v1/hooks/git", token: nil, headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", right)], body: hookBody)
                #expect((200..<300).contains(answers.last?.1.status ?? 0), "the right webhook signature: \(String(describing: answers.last?.1))")
                try await Self.waitUntilReady(["secrets/delta"], http: http, token: viewer)
                try await call("POST", "/v1/reconcile", token: admin)
                for path in ["/v1/objects", "/v1/events?limit=500", "/v1/revisions", "/v1/revisions/1", "/v1/plan", "/v1/status", "/v1/objects/RunQueue/secrets/alpha"] {
                    try await call("GET", path, token: viewer)
                }
                try await call("GET", "/metrics", token: nil)
                try await call("GET", "/readyz", token: nil)
                try await call("GET", "/openapi.json", token: nil)
                try await call("GET", "/", token: viewer)
                try await call("GET", "/", token: nil, headers: [("Cookie", "launchq_token=\(viewer)")])
                try await call("GET", "/v1/objects", token: Self.secret("unknown"))
                try await call("GET", "/?token=\(Self.secret("unknown"))", token: nil)
                // The status page's login link: the token in the address is turned into an HttpOnly cookie (that
                // header is its one legitimate echo) and must not reach the access log or the page.
                try await call("GET", "/?token=\(viewer)", token: nil)
                #expect(answers.last?.1.status == 303 && answers.last?.1.header("Set-Cookie")?.contains("HttpOnly") == true)
            } catch {
                serve.kill()
                Issue.record("serve:\n\(await serve.finish(timeout: .seconds(5)).both.suffix(3000))")
                throw error
            }
            serve.terminate()
            let served = await serve.finish(timeout: .seconds(30))
            #expect(served.status == 0, "\(served.both.suffix(2000))")
            #expect(served.errors.contains("trace") || served.output.contains("trace"), "serve did not log at trace level")
            record("serve --log-level trace", served)
            for (place, answer) in answers {
                produced.append(("HTTP \(place) \(answer.status)", String(decoding: answer.body, as: UTF8.self)))
            }
            // The status page's ?token= sets the cookie: its one legitimate echo of a (viewer) token is that header.

            // Files written: the saved plan, the imported declarations.
            for directory in [work + "/imported"] {
                for path in (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? [] {
                    produced.append(("file \(path)", (try? String(contentsOfFile: directory + "/" + path, encoding: .utf8)) ?? ""))
                }
            }
            produced.append(("file plan.json", (try? String(contentsOfFile: work + "/plan.json", encoding: .utf8)) ?? ""))
            #expect(produced.contains { $0.0 == "file plan.json" && $0.1.contains("alpha") }, "the plan was not saved")

            // Every row of every table.
            for table in ["revisions", "revision_declarations", "current_revision", "objects", "events", "api_tokens", "leader_lease"] {
                let rows = try await store.client.query(
                    PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM \(table) t"), logger: FaultsSupport.quietLogger)
                var text = ""
                for try await row in rows.decode(String.self) { text += row + "\n" }
                produced.append(("table \(table)", text))
            }
            #expect(produced.contains { $0.0 == "table objects" && $0.1.contains("secrets/delta") }, "the webhook's revision was not reconciled")

            for (label, secret) in secrets {
                for (place, text) in produced where text.contains(secret) {
                    Issue.record("the \(label) appears in \(place)")
                }
            }
            let bytes = produced.reduce(0) { $0 + $1.1.utf8.count }
            print("SecretsTests: searched \(bytes) bytes in \(produced.count) places for \(secrets.count) secrets")
        }
    }
}

extension SecretsTests {
    /// Polls serve's ready queues until every one of `ids` is among them (60 s at most).
    static func waitUntilReady(_ ids: [String], http: HostileHTTP, token: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let objects = try await http.send("GET", "/v1/objects?kind=RunQueue&state=ready", token: token)
            if ids.allSatisfy({ objects.text.contains($0) }) { return }
            try #require(ContinuousClock.now < deadline, "\(ids) did not become ready: \(objects)")
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// `--listen PORT` (no host) binds 127.0.0.1 only: the listening socket's address in `/proc/net/tcp` is loopback,
    /// and the port refuses connections on the machine's other addresses.
    @Test(.timeLimit(.minutes(2)))
    func serveListensOnLoopbackByDefault() async throws {
        try await FaultsSupport.withOwnPostgres { cluster, _, _ in
            let started = try await TestSandbox.start()
            let (sandbox, key) = (started.server, started.adminKey)
            // `--listen PORT` with port 0: the kernel picks a free port, serve prints it.
            let serve = try ChildProcess(
                LaunchqBinary.path, arguments: ["serve", "--listen", "0", "--interval", "1h"],
                environment: Repository.environment.filter { !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
                    .merging(["DATABASE_URL": cluster.url, "WANDB_BASE_URL": sandbox.baseURL, "WANDB_API_KEY": key]) { $1 })
            defer {
                serve.kill()
                Task { try? await sandbox.stop() }
            }
            let port = try await ServeProcess.listeningPort(of: serve)
            let deadline = ContinuousClock.now + .seconds(60)
            while (try? await HostileHTTP(port: port).send("GET", "/healthz"))?.status != 200 {
                try #require(serve.isRunning && ContinuousClock.now < deadline, "serve did not start")
                try await Task.sleep(for: .milliseconds(100))
            }
            // /proc/net/tcp: "sl local_address rem_address st ..." with addresses as little-endian hex; 0A = LISTEN.
            let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) + ((try? String(contentsOfFile: "/proc/net/tcp6", encoding: .utf8)) ?? "")
            let portHex = String(format: "%04X", port)
            let suffix = ":" + portHex
            var listening: [String] = []
            for line in table.split(separator: "\n") {
                let fields: [Substring] = line.split(separator: " ")
                if fields.count > 3, fields[1].hasSuffix(suffix), fields[3] == "0A" { listening.append(String(fields[1])) }
            }
            #expect(listening == ["0100007F:\(portHex)"], "listening sockets on port \(port): \(listening)")
            for address in Self.nonLoopbackIPv4Addresses() {
                #expect(!Self.canConnect(address, port: port), "port \(port) answers on \(address)")
            }
            _ = await serve.finish(timeout: .seconds(1))
        }
    }

    static func nonLoopbackIPv4Addresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let string: String = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                var inAddress = pointer.pointee.sin_addr
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                _ = inet_ntop(AF_INET, &inAddress, &text, socklen_t(text.count))
                return String(cString: text)
            }
            if !string.hasPrefix("127.") { addresses.append(string) }
        }
        return addresses
    }

    static func canConnect(_ address: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(port).bigEndian
        target.sin_addr.s_addr = inet_addr(address)
        return withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// A GitHub-style `sha256=` signature, computed here with the AdminServer's HMAC (checked against a known vector in
/// its own tests).
enum WebhookSignatureForTests {
    static func sign(_ body: [UInt8], secret: String) -> String {
        WebhookSignature.signature(body: body, secret: Array(secret.utf8))
    }
}
