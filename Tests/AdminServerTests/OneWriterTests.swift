import AdminServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import JSON
import Store
import Testing
import TestSupport
import WandbSandbox

/// One writer at a time: with a database, `launchq apply` takes the reconciler lease that `launchq serve` holds. It
/// waits for the lease (up to `--lock-timeout`), refuses against a running serve leader naming it, releases the lease
/// at the end; serve skips its rounds while a CLI apply holds the lease and says so in `/v1/status`.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct OneWriterTests {
    /// Runs the built `launchq apply --auto-approve` on `directory` against `database` and the sandbox.
    static func apply(_ directory: String, database: DatabaseConfiguration, sandbox: SandboxServer, key: String, lockTimeout: String) throws -> ChildProcess {
        var environment = Repository.environment.filter {
            !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL"
        }
        environment["DATABASE_URL"] = TestDatabase.url(of: database)
        environment["WANDB_BASE_URL"] = sandbox.baseURL
        environment["WANDB_API_KEY"] = key
        return try ChildProcess(
            try LaunchqBinary.require(), arguments: ["apply", directory, "--auto-approve", "--lock-timeout", lockTimeout], environment: environment)
    }

    /// Writes `files` into a new temporary directory.
    static func declarations(_ files: [(String, String)]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-one-writer-\(UUID().uuidString)").path
        for (path, content) in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return directory
    }

    @Test func applyRefusesAgainstARunningServeLeaderThenWaitsForTheLeaseAndReleasesIt() async throws {
        try await TestDatabase.withFreshDatabase { store, database in
            let started = try await TestSandbox.start()
            let (sandbox, key) = (started.server, started.adminKey)
            let directory = try Self.declarations(Bundles.small(prefix: "onewriter"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let token = try await store.tokens.create(name: "watcher", role: .viewer).secret

            // 1. A serve leader holds the lease: apply waits --lock-timeout, then exits 1 naming it, having written nothing.
            let serve = try ServeProcess.start(
                name: "serve-leader", database: database, wandbURL: sandbox.baseURL, apiKey: key, extra: ["--interval", "1h", "--lease-seconds", "3"])
            do {
                try await serve.waitUntilUp()
                try await Self.until("serve leads") { await serve.status(token: token)?["leader"] == .bool(true) }
                let began = ContinuousClock.now
                let refused = await (try Self.apply(directory, database: database, sandbox: sandbox, key: key, lockTimeout: "2s")).finish(timeout: .seconds(120))
                let waited = ContinuousClock.now - began
                #expect(refused.status == 1, "\(refused.both)")
                #expect(refused.errors.contains("held by serve-leader"), "\(refused.both)")
                #expect(refused.errors.contains("--lock-timeout"), "\(refused.both)")
                #expect(waited >= .seconds(2), "apply gave up after \(waited), before its --lock-timeout")
                #expect(await sandbox.counters().mutations == 0, "a refused apply wrote to W&B")
                #expect(try await store.lease().current()?.holder == "serve-leader")
                print("OneWriterTests: apply refused after \(waited) against the serve leader")
            } catch {
                serve.process.kill()
                _ = await serve.process.finish(timeout: .seconds(5))
                throw error
            }
            serve.process.terminate()
            let stopped = await serve.process.finish(timeout: .seconds(30))
            #expect(stopped.status == 0, "\(stopped.both.suffix(2000))")

            // 2. Someone else holds it briefly: apply waits (says for whom), takes it once released, applies, releases it.
            let lease = store.lease()
            let other = try #require(try await lease.acquire(holder: "replica-x", duration: .seconds(60)))
            let waiting = try Self.apply(directory, database: database, sandbox: sandbox, key: key, lockTimeout: "120s")
            try await Self.until("apply says it waits") { waiting.errorsSoFar.contains("held by replica-x") || !waiting.isRunning }
            #expect(waiting.isRunning, "apply ended instead of waiting: \(waiting.errorsSoFar)")
            #expect(await sandbox.counters().mutations == 0, "apply wrote before it held the lease")
            #expect(try await lease.release(holder: "replica-x", term: other.term))
            let applied = await waiting.finish(timeout: .seconds(120))
            #expect(applied.status == 0, "\(applied.both)")
            #expect(await sandbox.counters().mutations > 0)
            let after = try #require(try await lease.current())
            #expect(LeaseHolder.isApply(after.holder), "\(after.holder)")
            #expect(after.term == other.term + 1)
            #expect(after.expiresAt <= Date().addingTimeInterval(0.5), "apply did not release the lease at its end")
            try await sandbox.stop()
        }
    }

    @Test func serveSkipsItsRoundsWhileACLIApplyHoldsTheLeaseAndSaysSoInStatus() async throws {
        try await AdminHarness.with(configure: { $0.reconcileOnStart = true; $0.leaseDuration = .seconds(3) }) { harness in
            try await Bundles.publish(Bundles.small(prefix: "cliheld"), to: harness.store)
            let lease = harness.store.lease()
            let holder = LeaseHolder.apply(user: "ana", host: "laptop", pid: 4242)
            let held = try #require(try await lease.acquire(holder: holder, duration: .seconds(120)))
            try await harness.application.test(.router) { client in
                var seen: JSONValue?
                try await Self.until("/v1/status names the CLI apply") {
                    try await client.execute(uri: "/v1/status", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { response in
                        seen = try AdminHarness.json(response.body)
                    }
                    return seen?["cliApply"]?["holder"] == .string(holder)
                }
                let status = try #require(seen)
                #expect(status["leader"] == .bool(false))
                #expect(status["holder"] == .string(holder))
                #expect(status["cliApply"]?["since"]?.string != nil)
                // The scheduler looked at the lease (that is how it knows) and skipped: no run, nothing written.
                #expect(status["lastRun"] == .null)
                #expect(try await harness.store.objects.list().isEmpty)
                #expect(await harness.sandbox.counters().mutations == 0)
                // The status page says so too.
                try await client.execute(uri: "/", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { response in
                    #expect(String(buffer: response.body).contains("launchq apply by ana on laptop (pid 4242) holds the reconciler lease"))
                }

                // The apply ends: serve takes the lease and reconciles; the status no longer names an apply.
                #expect(try await lease.release(holder: holder, term: held.term))
                try await Self.until("serve reconciles after the apply", timeout: .seconds(60)) {
                    try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "cliheld/gpu"))?.state == .ready
                }
                try await client.execute(uri: "/v1/status", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { response in
                    let json = try AdminHarness.json(response.body)
                    #expect(json["cliApply"] == .null)
                    #expect(json["leader"] == .bool(true))
                }
            }
        }
    }

    /// Polls `condition` every 20 ms until it holds, for up to `timeout`.
    static func until(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            try #require(ContinuousClock.now < deadline, "timed out waiting until \(what)")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
