import TestSupport
import Foundation
import PostgresCluster
import Store
import Synchronization
import Testing
import WandbSandbox

/// Issue 16: PostgreSQL stops in the middle of a reconcile and comes back. `launchq serve` must never wedge: every
/// run converges (every object ready, read back by the official SDK, a plan with no changes, a finished run in
/// `/v1/status`) within 30 s of the database returning, wherever the outage hit the run.
@Suite(.enabled(if: FaultsSupport.shouldRun, FaultsSupport.skipReason), .serialized)
struct FaultsOutageTests {
    /// Where in a run the database stops.
    enum Point: String, CaseIterable, Sendable {
        /// While the run reads W&B to plan (slowly): nothing written yet.
        case beforeFirstWrite
        /// The team (first wave) is recorded ready; the queue wave starts.
        case betweenWaves
        /// Some queues of the wave are written and recorded, others in flight (two at a time).
        case midWave
        /// The writes are done; the run reads W&B again and records what it finds.
        case duringRecording
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var point: Point
        /// How long the database stays down (longer than the 3 s lease for some).
        var downtime: Duration
        /// midWave: queues recorded ready before the stop; duringRecording: extra delay after the phase starts.
        var detail: Int
        var description: String { "\(point.rawValue)(\(detail)) down \(downtime)" }
    }

    /// 24 runs: each point with six timings.
    static let scenarios: [Scenario] = Point.allCases.flatMap { point in
        let downtimes: [Duration] = [.milliseconds(1000), .milliseconds(2500), .milliseconds(4000), .milliseconds(1500), .milliseconds(3500), .milliseconds(2000)]
        return downtimes.enumerated().map { index, downtime in Scenario(point: point, downtime: downtime, detail: index % 4) }
    }

    static let queuesPerRun = 5
    static let flags = ["--interval", "1h", "--lease-seconds", "3", "--database-timeout", "3s", "--concurrency", "2", "--log-level", "info"]

    @Test(.timeLimit(.minutes(10)))
    func aDatabaseOutageAnywhereInARunConvergesWithin30SecondsOfItsReturn() async throws {
        try await FaultsServeTests.withStack(flags: Self.flags) { stack in
            var entities: [(String, [String])] = []
            var worst: (Duration, String) = (.zero, "")
            var times: [String] = []
            for (index, scenario) in Self.scenarios.enumerated() {
                let entity = "outage\(index)"
                let names = (0..<Self.queuesPerRun).map { "q\($0)" }
                entities.append((entity, names))
                let elapsed = try await Self.run(scenario, entity: entity, names: names, all: entities, stack)
                times.append("\(scenario): \(FaultsOutageTests.text(elapsed))")
                if elapsed > worst.0 { worst = (elapsed, "\(scenario)") }
                #expect(elapsed <= .seconds(30), "\(scenario): converged \(FaultsOutageTests.text(elapsed)) after the database returned")
            }
            // Everything every run wrote, read back by the official SDK (and the database agrees: all ready, W&B ids).
            let listed = try await FaultsSupport.sdkQueues(entities: entities.map(\.0), baseURL: stack.sandbox.baseURL, apiKey: stack.key)
            for (entity, names) in entities {
                let found = listed[entity]?.map(\.name) ?? []
                #expect(found.sorted() == names.sorted(), "\(entity) on W&B: \(found.sorted())")
            }
            let objects = try await Self.retrying { try await stack.store.objects.list() }.filter { ["RunQueue", "Team"].contains($0.key.kind) }
            #expect(objects.count == entities.count * (Self.queuesPerRun + 1), "\(objects.count) objects")
            #expect(objects.allSatisfy { $0.state == .ready }, "\(objects.filter { $0.state != .ready }.map { "\($0.key) \($0.state)" })")
            let ids = Dictionary(uniqueKeysWithValues: listed.flatMap { entity, queues in queues.map { ("\(entity)/\($0.name)", $0.id) } })
            for object in objects where object.key.kind == "RunQueue" {
                #expect(object.wandbID == ids[object.key.identity], "\(object.key): database id \(object.wandbID ?? "nil")")
            }
            // The outages did interrupt runs (else this test would prove nothing).
            let metrics = try await stack.http.send("GET", "/metrics").text
            let failedRuns = metrics.split(separator: "\n").first { $0.hasPrefix("launchq_reconcile_runs_total{outcome=\"failed\"}") }
            let interrupted = failedRuns.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            #expect(interrupted >= 3, "runs that ended failed: \(failedRuns ?? "none")")
            print("FaultsOutageTests: \(Self.scenarios.count) outages (\(Int(interrupted)) runs interrupted), worst convergence \(FaultsOutageTests.text(worst.0)) (\(worst.1))\n  " + times.joined(separator: "\n  "))
        }
    }

    /// One outage: pushes a revision that adds `entity`, stops the database at the scenario's point, starts it again
    /// after its downtime; returns how long after the restart everything had converged.
    static func run(_ scenario: Scenario, entity: String, names: [String], all: [(String, [String])], _ stack: FaultsServeTests.Stack) async throws -> Duration {
        let faults = switch scenario.point {
        case .beforeFirstWrite, .duringRecording: "latency:700ms;op=ReadEntities"
        case .betweenWaves: "latency:600ms;op=UpsertRunQueue,CreateRunQueue"
        case .midWave: "latency:250ms;op=UpsertRunQueue,CreateRunQueue"
        }
        await stack.sandbox.setFaults(try FaultPlan.parse(faults))
        let pushed = try await FaultsServeTests.push(all.map { FaultsServeTests.queues($0.0, $0.1) }, stack)
        try #require(pushed.status == 201, "\(scenario): push \(pushed)")
        let deadline = ContinuousClock.now + .seconds(30)
        func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
            while try await !condition() {
                try #require(ContinuousClock.now < deadline, "\(scenario): never saw \(what)")
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        switch scenario.point {
        case .beforeFirstWrite:
            try await waitFor("the run planning") { await waitingOn(stack)?.hasPrefix("planning") == true }
        case .betweenWaves:
            try await waitFor("the team ready") {
                (try? await stack.store.objects.status(of: ObjectKey(kind: "Team", identity: entity)))??.state == .ready
            }
        case .midWave:
            let wanted = 1 + scenario.detail % 3
            try await waitFor("\(wanted) queues ready") {
                let ready = (try? await stack.store.objects.list(kind: "RunQueue", state: .ready)) ?? []
                return ready.count { $0.key.identity.hasPrefix(entity + "/") } >= wanted
            }
        case .duringRecording:
            try await waitFor("the run reading W&B again to record what it shows") {
                let waiting = await waitingOn(stack) ?? ""
                return waiting.hasPrefix("reading W&B again after round") || waiting.hasPrefix("recording what W&B shows")
            }
            // The final read of W&B takes 700 ms; then the findings are written: stop during the read, at or after the writing.
            try await Task.sleep(for: .milliseconds(250 * scenario.detail))
        }
        try await stack.cluster.stopServer()
        try await Task.sleep(for: scenario.downtime)
        await stack.sandbox.setFaults(.none)
        try await stack.cluster.restart()
        let restarted = ContinuousClock.now
        var last = "nothing answered"
        while ContinuousClock.now - restarted < .seconds(45) {
            if let reason = await notConverged(stack, all: all) { last = reason } else { return ContinuousClock.now - restarted }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("\(scenario): not converged 45 s after the database returned: \(last)")
        throw CancellationError()
    }

    /// `nil` when converged: the last run finished and succeeded, every object is ready, and the plan has no changes.
    static func notConverged(_ stack: FaultsServeTests.Stack, all: [(String, [String])]) async -> String? {
        guard let status = try? await stack.http.send("GET", "/v1/status", token: stack.admin), status.status == 200, let json = status.json else {
            return "GET /v1/status did not answer"
        }
        guard json["running"] as? Bool == false, let run = json["lastRun"] as? [String: Any], run["outcome"] as? String == "succeeded" else {
            return "status: \(status.text.prefix(400))"
        }
        return await objectsNotConverged(stack, all: all)
    }

    /// `nil` when every declared object is ready and the plan has no changes.
    static func objectsNotConverged(_ stack: FaultsServeTests.Stack, all: [(String, [String])]) async -> String? {
        guard let objects = try? await stack.http.send("GET", "/v1/objects", token: stack.admin), objects.status == 200,
            let list = objects.json?["objects"] as? [[String: Any]]
        else { return "GET /v1/objects did not answer" }
        let ready = Set(list.filter { $0["state"] as? String == "ready" }.compactMap { "\($0["kind"] ?? "")/\($0["id"] ?? "")" })
        let wanted = Set(all.flatMap { entity, names in ["Team/\(entity)"] + names.map { "RunQueue/\(entity)/\($0)" } })
        guard wanted.isSubset(of: ready) else { return "not ready: \(wanted.subtracting(ready).sorted().prefix(5))" }
        guard let plan = try? await stack.http.send("GET", "/v1/plan", token: stack.admin), plan.status == 200 else { return "GET /v1/plan did not answer" }
        guard plan.json?["hasChanges"] as? Bool == false else { return "plan: \(plan.json?["summary"] ?? "?")" }
        return nil
    }

    /// What the running reconcile waits on (`nil` when none runs or the API does not answer).
    static func waitingOn(_ stack: FaultsServeTests.Stack) async -> String? {
        guard let answer = try? await stack.http.send("GET", "/v1/status", token: stack.admin), answer.status == 200 else { return nil }
        return answer.json?["waitingOn"] as? String
    }

    /// Whether `waitingOn` (`applying (round 1): RunQueue a/b (writing to W&B), …`) lists exactly `count` steps in flight,
    /// each a queue writing to W&B.
    static func onlyQueueWritesInFlight(_ waitingOn: String?, count: Int) -> Bool {
        guard let waitingOn, let colon = waitingOn.range(of: "): ") else { return false }
        let steps = waitingOn[colon.upperBound...].components(separatedBy: ", ")
        return steps.count == count && steps.allSatisfy { $0.hasPrefix("RunQueue ") && $0.hasSuffix(" (writing to W&B)") }
    }

    /// The test's own pool may hold a connection the restart closed: its first call can fail; try again briefly.
    static func retrying<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            do { return try await body() } catch where ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    static func text(_ duration: Duration) -> String {
        String(format: "%.1fs", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
