import TestSupport
import Foundation
import PostgresCluster
import Store
import Testing
import WandbSandbox

/// Issue 16, continued: two replicas and an outage longer than the lease; SIGTERM while a run is stuck on an
/// unreachable database; the watchdog.
extension FaultsOutageTests {
    /// The database goes away for three leases in the middle of a run with two replicas up. Afterwards exactly one
    /// replica leads and reconciles; the other starts no run.
    @Test(.timeLimit(.minutes(4)))
    func anOutageLongerThanTheLeaseLeavesExactlyOneReplicaReconciling() async throws {
        try await FaultsServeTests.withStack(flags: Self.flags) { stack in
            let other = try ServeProcess.start(
                name: "outage-replica-b", database: stack.database, wandbURL: stack.sandbox.baseURL, apiKey: stack.key, extra: Self.flags)
            do {
                try await other.waitUntilUp()
                let otherHTTP = HostileHTTP(port: other.port)
                let names = (0..<6).map { "r\($0)" }
                await stack.sandbox.setFaults(try FaultPlan.parse("latency:400ms;op=UpsertRunQueue,CreateRunQueue"))
                let pushed = try await FaultsServeTests.push([FaultsServeTests.queues("replicas", names)], stack)
                try #require(pushed.status == 201, "\(pushed)")
                let deadline = ContinuousClock.now + .seconds(30)
                while ((try? await stack.store.objects.list(kind: "RunQueue", state: .ready)) ?? []).count < 1 {
                    try #require(ContinuousClock.now < deadline, "no queue was written")
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await stack.cluster.stopServer()
                try await Task.sleep(for: .seconds(9))  // three 3 s leases: whoever held it has lost it
                await stack.sandbox.setFaults(.none)
                try await stack.cluster.restart()
                let restarted = Date()
                let clock = ContinuousClock.now
                var last = ""
                var converged = false
                while ContinuousClock.now - clock < .seconds(45) {
                    let statuses = await [Self.status(stack.http, stack.admin), Self.status(otherHTTP, stack.admin)]
                    let leaders = statuses.compactMap { $0 }.filter { $0["leader"] as? Bool == true }
                    let reason = leaders.count == 1 ? Self.notConverged(leader: leaders[0]) : "\(leaders.count) leaders"
                    let objects = await Self.objectsNotConverged(stack, all: [("replicas", names)])
                    if reason == nil, objects == nil {
                        converged = true
                        break
                    }
                    last = "\(reason ?? ""); \(objects ?? "")"
                    try await Task.sleep(for: .milliseconds(200))
                }
                try #require(converged, "not converged 45 s after the database returned: \(last)")
                // Exactly one leader, and only it started a run after the database came back.
                let statuses = await [Self.status(stack.http, stack.admin), Self.status(otherHTTP, stack.admin)].compactMap { $0 }
                #expect(statuses.count == 2 && statuses.count { $0["leader"] as? Bool == true } == 1, "\(statuses)")
                let startedAfter = statuses.filter { status in
                    guard let run = status["lastRun"] as? [String: Any], let started = run["startedAt"] as? String,
                        let date = ISO8601DateFormatter().date(from: started)
                    else { return status["running"] as? Bool == true }
                    return date >= restarted.addingTimeInterval(-1) || status["running"] as? Bool == true
                }
                #expect(startedAfter.count == 1 && startedAfter.first?["leader"] as? Bool == true, "replicas that ran after the outage: \(statuses)")
                _ = try await Self.retrying { try await stack.store.objects.list() }
                try await FaultsServeTests.expectWandbMatches(stack, entity: "replicas", queues: Dictionary(uniqueKeysWithValues: names.map { ($0, "local-process") }))
            } catch {
                other.process.kill()
                throw error
            }
            other.process.terminate()
            let output = await other.process.finish(timeout: .seconds(30))
            #expect(!output.signalled, "replica b did not stop on SIGTERM")
        }
    }

    /// SIGTERM to a `serve` whose database is gone and whose run waits on it (a database timeout of two minutes):
    /// the process ends within `--shutdown-timeout`, exit status 0, and logs what it abandoned.
    @Test(.timeLimit(.minutes(3)))
    func sigtermEndsAServeStuckOnAnUnreachableDatabaseWithinTheShutdownTimeout() async throws {
        let flags = ["--interval", "1h", "--lease-seconds", "30", "--database-timeout", "120s", "--shutdown-timeout", "4s", "--concurrency", "2", "--log-level", "info"]
        try await FaultsServeTests.withStack(flags: flags) { stack in
            await stack.sandbox.setFaults(try FaultPlan.parse("latency:2s;op=UpsertRunQueue,CreateRunQueue"))
            let pushed = try await FaultsServeTests.push([FaultsServeTests.queues("stuck", (0..<6).map { "s\($0)" })], stack)
            try #require(pushed.status == 201, "\(pushed)")
            // Stop the database only while both steps in flight are queue writes (2 s each): then no statement runs as
            // it stops. A step recording its outcome at that instant fails at once (SQLSTATE 57P01), ends the run, and
            // leaves nothing to abandon — a fresh-clone CI run stopped it under the team's project step that way.
            let deadline = ContinuousClock.now + .seconds(30)
            while !Self.onlyQueueWritesInFlight(await Self.waitingOn(stack), count: 2) {
                try #require(ContinuousClock.now < deadline, "two queue writes were never in flight together")
                try await Task.sleep(for: .milliseconds(20))
            }
            try await stack.cluster.stopServer()
            // The writes in flight end within 2 s, inside the 3 s grace; their recording then waits on the database
            // (for two minutes), so the run is still in flight when the grace ends.
            let signalled = ContinuousClock.now
            stack.serve.process.terminate()
            let output = await stack.serve.process.finish(timeout: .seconds(30))
            let took = ContinuousClock.now - signalled
            #expect(!output.signalled && output.status == 0, "exit \(output.status):\n\(output.both.suffix(2000))")
            // Bounded: the 4 s grace, then the backstop 5 s later at the latest; the failure this catches never ends.
            #expect(took <= .seconds(9), "SIGTERM took \(Self.text(took)) to end serve (--shutdown-timeout 4s)")
            #expect(output.both.contains("abandoning the reconcile run"), "the log does not say what was abandoned:\n\(output.both.suffix(2000))")
            try await stack.cluster.restart()
        }
    }

    /// A run longer than `--run-timeout` shows in `/v1/status` (`runningSince`, `waitingOn`) and in
    /// `launchq_reconcile_running_seconds`, is cancelled with an event `reconcile.cancelled`, and is retried.
    @Test(.timeLimit(.minutes(3)))
    func aRunLongerThanTheRunTimeoutIsReportedCancelledAndRetried() async throws {
        let flags = ["--interval", "1h", "--lease-seconds", "3", "--run-timeout", "4s", "--concurrency", "1", "--log-level", "info"]
        try await FaultsServeTests.withStack(flags: flags) { stack in
            await stack.sandbox.setFaults(try FaultPlan.parse("latency:3s;op=UpsertRunQueue,CreateRunQueue"))
            let names = ["w0", "w1", "w2"]
            let pushed = try await FaultsServeTests.push([FaultsServeTests.queues("watchdog", names)], stack)
            try #require(pushed.status == 201, "\(pushed)")
            let deadline = ContinuousClock.now + .seconds(30)
            var status = await Self.status(stack.http, stack.admin) ?? [:]
            while (status["waitingOn"] as? String)?.contains("writing to W&B") != true {
                try #require(ContinuousClock.now < deadline, "no write in flight: \(status)")
                try await Task.sleep(for: .milliseconds(50))
                status = await Self.status(stack.http, stack.admin) ?? [:]
            }
            #expect(status["running"] as? Bool == true && status["runningSince"] is String, "\(status)")
            let metrics = try await stack.http.send("GET", "/metrics").text
            #expect(metrics.contains("launchq_reconcile_running_seconds "), "no running-seconds gauge")
            var cancelled: [String: Any]?
            while cancelled == nil {
                try #require(ContinuousClock.now < deadline, "no reconcile.cancelled event")
                try await Task.sleep(for: .milliseconds(200))
                let events = try? await stack.http.send("GET", "/v1/events?limit=50", token: stack.admin)
                cancelled = (events?.json?["events"] as? [[String: Any]])?.first { $0["action"] as? String == "reconcile.cancelled" }
            }
            #expect((cancelled?["message"] as? String)?.contains("waits on") == true, "\(cancelled ?? [:])")
            await stack.sandbox.setFaults(.none)
            let clock = ContinuousClock.now
            var reason: String? = "not checked"
            while ContinuousClock.now - clock < .seconds(30) {
                reason = await Self.notConverged(stack, all: [("watchdog", names)])
                if reason == nil { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(reason == nil, "not converged after the watchdog's retry: \(reason ?? "")")
            let after = try await stack.http.send("GET", "/metrics").text
            #expect(after.contains("launchq_reconcile_watchdog_cancellations_total 1") || after.contains("launchq_reconcile_watchdog_cancellations_total 2"))
            try await FaultsServeTests.expectWandbMatches(stack, entity: "watchdog", queues: Dictionary(uniqueKeysWithValues: names.map { ($0, "local-process") }))
        }
    }

    static func status(_ http: HostileHTTP, _ token: String) async -> [String: Any]? {
        guard let answer = try? await http.send("GET", "/v1/status", token: token), answer.status == 200 else { return nil }
        return answer.json
    }

    /// `nil` when the leader's last run succeeded and is finished.
    static func notConverged(leader status: [String: Any]) -> String? {
        guard status["running"] as? Bool == false, let run = status["lastRun"] as? [String: Any], run["outcome"] as? String == "succeeded" else {
            return "leader: \(status)"
        }
        return nil
    }
}
