import JSON
import TestSupport
import AdminServer
import Declarations
import Foundation
import Logging
import Store
import Testing
import WandbAPI
import WandbSandbox

/// Two `launchq serve` processes (the built binary) on one database and one sandbox: one reconciler at a time,
/// takeover after SIGKILL within two lease periods, a graceful drain on SIGTERM, and no API key in any log.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct ServeProcessTests {
    static let leaseSeconds = 3

    @Test func twoReplicasNeverReconcileTogetherAndTheSecondTakesOverAfterSIGKILL() async throws {
        try await TestDatabase.withFreshDatabase { store, database in
            let started = try await TestSandbox.start()
            let (sandbox, key) = (started.server, started.adminKey)
            defer { Task { try? await sandbox.stop() } }
            let token = try await store.tokens.create(name: "watcher", role: .viewer).secret
            try await Bundles.publish(Bundles.many(prefix: "replicas", queues: 40), to: store)

            let flags = ["--interval", "1s", "--lease-seconds", "\(Self.leaseSeconds)", "--log-level", "debug"]
            let first = try ServeProcess.start(name: "replica-a", database: database, wandbURL: sandbox.baseURL, apiKey: key, extra: flags)
            let second = try ServeProcess.start(name: "replica-b", database: database, wandbURL: sandbox.baseURL, apiKey: key, extra: flags)
            var outputs: [String] = []
            do {
                try await first.waitUntilUp()
                try await second.waitUntilUp()

                // Watch both for a while: never two leaders, never two runs at once; runs do happen.
                var runsSeen: Set<String> = []
                var leaders: Set<String> = []
                // Until the leader has run three times (at least 4 s), or 40 s on a loaded machine.
                let watchStart = ContinuousClock.now
                while ContinuousClock.now - watchStart < .seconds(40),
                    runsSeen.count < 3 || ContinuousClock.now - watchStart < .seconds(4)
                {
                    async let a = first.status(token: token)
                    async let b = second.status(token: token)
                    let (statusA, statusB) = await (a, b)
                    let runningA = statusA?["running"] == .bool(true)
                    let runningB = statusB?["running"] == .bool(true)
                    #expect(!(runningA && runningB), "both replicas were reconciling at once")
                    #expect(!(statusA?["leader"] == .bool(true) && statusB?["leader"] == .bool(true)), "two leaders")
                    for (name, status) in [("replica-a", statusA), ("replica-b", statusB)] {
                        if status?["leader"] == .bool(true) { leaders.insert(name) }
                        if let started = status?["lastRun"]?["startedAt"]?.string { runsSeen.insert("\(name) \(started)") }
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                try #require(leaders.count == 1, "expected exactly one leader while both ran, saw \(leaders)")
                #expect(runsSeen.count >= 3, "the leader should have reconciled several times: \(runsSeen)")
                #expect(runsSeen.allSatisfy { $0.hasPrefix(leaders.first!) }, "only the leader runs: \(runsSeen)")
                let queues = try await AdminHarness.clientFor(sandbox, key: key).runQueues(inEntities: ["replicas"])["replicas"] ?? []
                #expect(queues.count == 40)

                // SIGKILL the leader; the other must lead within two lease periods.
                let (leader, follower) = leaders.first == "replica-a" ? (first, second) : (second, first)
                leader.process.kill()
                let killedAt = ContinuousClock.now
                var tookOver: Duration?
                while ContinuousClock.now - killedAt < .seconds(Self.leaseSeconds * 4) {
                    if await follower.status(token: token)?["leader"] == .bool(true) {
                        tookOver = ContinuousClock.now - killedAt
                        break
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let takeover = try #require(tookOver, "\(follower.name) never took over")
                #expect(takeover <= .seconds(2 * Self.leaseSeconds), "took over after \(takeover)")
                print("ServeProcessTests: \(follower.name) took over \(takeover) after SIGKILL (lease \(Self.leaseSeconds)s)")
                // And it reconciles: a new revision reaches W&B through it.
                var files = Bundles.many(prefix: "replicas", queues: 40)
                files.append(("late.yaml", "apiVersion: launchq/v1\nkind: RunQueue\nentity: replicas\nname: late\nresource_type: local-process\n"))
                try await Bundles.publish(files, to: store)
                let deadline = ContinuousClock.now + .seconds(30)
                while try await store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "replicas/late"))?.state != .ready {
                    try #require(ContinuousClock.now < deadline, "the new leader did not reconcile the new revision")
                    try await Task.sleep(for: .milliseconds(100))
                }

                follower.process.terminate()
                let survivor = await follower.process.finish(timeout: .seconds(30))
                #expect(survivor.status == 0 && !survivor.signalled, "SIGTERM should stop cleanly:\n\(survivor.both.suffix(2000))")
                // It released the lease on the way out.
                let lease = try await store.lease().current()
                #expect(lease.map { $0.expiresAt <= Date().addingTimeInterval(0.5) } == true)
                let killed = await leader.process.finish(timeout: .seconds(5))
                #expect(killed.signalled)
                outputs = [killed.both, survivor.both]
            } catch {
                first.process.kill()
                second.process.kill()
                _ = await first.process.finish(timeout: .seconds(5))
                _ = await second.process.finish(timeout: .seconds(5))
                throw error
            }
            // The whole run's logs: real, and free of the W&B API key.
            let logs = outputs.joined(separator: "\n")
            #expect(logs.contains("reconcile finished"))
            #expect(logs.contains("holding the reconciler lease"))
            #expect(!logs.contains(key), "the W&B API key appears in the logs")
            try await sandbox.stop()
        }
    }

    @Test func sigtermDuringAnApplyFinishesTheStepsInFlightAndRecordsThem() async throws {
        try await TestDatabase.withFreshDatabase { store, database in
            let slow = try await TestSandbox.start { $0.faults = try FaultPlan.parse("latency:150ms") }
            let (sandbox, key) = (slow.server, slow.adminKey)
            try await Bundles.publish(Bundles.many(prefix: "drain", queues: 30), to: store)
            let serve = try ServeProcess.start(
                name: "drainer", database: database, wandbURL: sandbox.baseURL, apiKey: key,
                extra: ["--interval", "1h", "--concurrency", "1", "--lease-seconds", "\(Self.leaseSeconds)"])
            // Wait until a few queues were written, then SIGTERM in the middle of the apply.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await store.objects.list(kind: "RunQueue", state: .ready).count < 3 {
                if ContinuousClock.now > deadline {
                    serve.process.kill()
                    Issue.record("no queue was written:\n\(await serve.process.finish(timeout: .seconds(5)).both.suffix(3000))")
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            serve.process.terminate()
            let result = await serve.process.finish(timeout: .seconds(30))
            try await sandbox.stop()
            #expect(result.status == 0 && !result.signalled, "\(result.both.suffix(2000))")
            #expect(result.both.contains("\"drained\"") || result.both.contains("outcome=drained") || result.both.contains("drained"))

            // Every step that started has its outcome recorded; the rest were not attempted.
            let events = try await store.events.page(limit: 500, before: nil, object: nil).events
            let started = Set(events.filter { $0.draft.outcome == .started }.compactMap(\.draft.object))
            let finished = Set(events.filter { [.succeeded, .failed].contains($0.draft.outcome) }.compactMap(\.draft.object))
            #expect(!started.isEmpty)
            #expect(started == finished, "started but not recorded: \(started.subtracting(finished))")
            let queues = try await store.objects.list(kind: "RunQueue", state: nil)
            let ready = queues.filter { $0.state == .ready }.count
            #expect(ready >= 3 && ready < 30, "\(ready) queues ready: the drain should stop before the end")
            let skipped = events.filter { $0.draft.outcome == .skipped && $0.draft.message?.contains("shutting down") == true }
            #expect(!skipped.isEmpty)
            #expect(try await store.lease().current().map { $0.expiresAt <= Date().addingTimeInterval(0.5) } == true)
        }
    }
}

extension AdminHarness {
    /// A W&B client on `sandbox`.
    static func clientFor(_ sandbox: SandboxServer, key: String) throws -> WandbClient {
        try clientFor(sandbox.baseURL, key: key)
    }

    /// A W&B client on `url` (a random key when `key` is `nil`).
    static func clientFor(_ url: String, key: String?) throws -> WandbClient {
        WandbClient(configuration: try WandbClient.Configuration(baseURL: url, apiKey: WandbAPIKey(key ?? TestSandbox.randomKey())), logger: quietLogger)
    }
}
