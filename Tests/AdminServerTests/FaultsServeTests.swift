import TestSupport
import Declarations
import Foundation
import PostgresCluster
import Store
import Synchronization
import Testing
import WandbSandbox

/// `launchq serve` (the built binary) when things go wrong: its database stops and comes back, it is SIGKILLed in
/// the middle of an apply, W&B answers with errors, throttling, latency and dropped connections. Each scenario
/// ends by reading W&B through the official SDK and the database, and comparing both with the declarations.
@Suite(.enabled(if: FaultsSupport.shouldRun, FaultsSupport.skipReason), .serialized)
struct FaultsServeTests {
    /// One `launchq serve` on its own cluster and an in-process sandbox, with an admin token.
    final class Stack: Sendable {
        let cluster: ThrowawayPostgres
        let store: PostgresStore
        let database: DatabaseConfiguration
        let sandbox: SandboxServer
        let key: String
        let admin: String
        private let current: Mutex<ServeProcess>

        init(
            cluster: ThrowawayPostgres, store: PostgresStore, database: DatabaseConfiguration, sandbox: SandboxServer, key: String, admin: String,
            serve: ServeProcess
        ) {
            (self.cluster, self.store, self.database, self.sandbox, self.key, self.admin) = (cluster, store, database, sandbox, key, admin)
            current = Mutex(serve)
        }

        /// The running `launchq serve` (replaced after a SIGKILL and restart).
        var serve: ServeProcess {
            get { current.withLock { $0 } }
            set { current.withLock { $0 = newValue } }
        }
        var http: HostileHTTP { HostileHTTP(port: serve.port) }
    }

    static let flags = ["--interval", "1h", "--lease-seconds", "3", "--log-level", "debug"]

    static func withStack(
        faults: String = "", flags: [String] = flags, _ body: @Sendable (Stack) async throws -> Void
    ) async throws {
        try await FaultsSupport.withOwnPostgres { cluster, store, database in
            let started = try await TestSandbox.start { $0.faults = try FaultPlan.parse(faults) }
            let (sandbox, key) = (started.server, started.adminKey)
            let admin = try await store.tokens.create(name: "faults-admin", role: .admin).secret
            let serve = try ServeProcess.start(name: "faults", database: database, wandbURL: sandbox.baseURL, apiKey: key, extra: flags)
            let stack = Stack(cluster: cluster, store: store, database: database, sandbox: sandbox, key: key, admin: admin, serve: serve)
            do {
                try await serve.waitUntilUp()
                try await body(stack)
            } catch {
                stack.serve.process.kill()
                let output = await stack.serve.process.finish(timeout: .seconds(5))
                try? await sandbox.stop()
                let lines = output.both.split(separator: "\n").filter { !$0.contains(" debug ") && !$0.contains(" trace ") }
                Issue.record("launchq serve output (info and above):\n\(lines.suffix(40).joined(separator: "\n"))")
                throw error
            }
            stack.serve.process.terminate()
            let output = await stack.serve.process.finish(timeout: .seconds(30))
            try await sandbox.stop()
            if Repository.environment["LAUNCHQ_TEST_VERBOSE"] != nil { print(output.both) }
            #expect(!output.signalled, "serve did not stop on SIGTERM:\n\(output.both.suffix(3000))")
            #expect(!output.both.contains(key), "the W&B API key appears in serve's output")
        }
    }

    /// Pushes `files` through POST /v1/revisions (If-Match: *).
    static func push(_ files: [(String, String)], _ stack: Stack) async throws -> HostileHTTP.Answer {
        let bundle: [String: Any] = ["files": files.map { ["path": $0.0, "content": $0.1] }]
        return try await stack.http.postJSON("/v1/revisions", bundle, token: stack.admin, headers: [("If-Match", "*")])
    }

    /// Waits until the queues `names` of `entity` are `ready` (as GET /v1/objects says).
    static func waitUntilReady(_ stack: Stack, _ entity: String, _ names: [String], timeout: Duration = .seconds(60)) async throws {
        let wanted = Set(names.map { "\(entity)/\($0)" })
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            if let answer = try? await stack.http.send("GET", "/v1/objects", token: stack.admin), answer.status == 200,
                let objects = answer.json?["objects"] as? [[String: Any]]
            {
                last = objects.map { "\($0["id"] ?? "") \($0["state"] ?? "") \($0["lastError"] ?? "")" }.joined(separator: "\n")
                let ready = Set(objects.filter { $0["kind"] as? String == "RunQueue" && $0["state"] as? String == "ready" }.compactMap { $0["id"] as? String })
                if wanted.isSubset(of: ready) { return }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("objects did not all become ready:\n\(last)")
        throw CancellationError()
    }

    /// Polls `condition` every 20 ms until it holds; fails the test after `timeout`.
    static func waitFor(
        _ what: String, timeout: Duration = .seconds(30), sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ condition: () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while await !condition() {
            try #require(ContinuousClock.now < deadline, "waited \(timeout) for \(what)", sourceLocation: sourceLocation)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// W&B (through the SDK) holds exactly the declared queues of `entity`, once each, of the declared types.
    static func expectWandbMatches(_ stack: Stack, entity: String, queues expected: [String: String]) async throws {
        let listed = try await FaultsSupport.sdkQueues(entities: [entity], baseURL: stack.sandbox.baseURL, apiKey: stack.key)[entity] ?? []
        let names = listed.map(\.name)
        #expect(Set(names).count == names.count, "duplicate queues on W&B: \(names.sorted())")
        #expect(Set(names) == Set(expected.keys), "W&B has \(names.sorted()), declared \(expected.keys.sorted())")
        for queue in listed { #expect(queue.type == expected[queue.name], "\(queue.name) is \(queue.type) on W&B") }
        // The database agrees: every queue ready, its W&B id recorded.
        let objects = try await stack.store.objects.list(kind: "RunQueue", state: nil).filter { $0.key.identity.hasPrefix(entity + "/") }
        #expect(Set(objects.map(\.key.identity)) == Set(expected.keys.map { "\(entity)/\($0)" }))
        #expect(objects.allSatisfy { $0.state == .ready }, "\(objects.map { "\($0.key) \($0.state)" })")
        let ids = Dictionary(uniqueKeysWithValues: listed.map { ($0.name, $0.id) })
        for object in objects {
            let name = String(object.key.identity.dropFirst(entity.count + 1))
            #expect(object.wandbID == ids[name], "\(object.key): database id \(object.wandbID ?? "nil"), W&B id \(ids[name] ?? "nil")")
        }
    }

    static func queues(_ entity: String, _ names: [String], type: String = "local-process") -> (String, String) {
        var documents = ["apiVersion: launchq/v1\nkind: Team\nname: \(entity)"]
        for name in names {
            documents.append("apiVersion: launchq/v1\nkind: RunQueue\nentity: \(entity)\nname: \(name)\nresource_type: \(type)")
        }
        return ("\(entity).yaml", documents.joined(separator: "\n---\n"))
    }

    // MARK: a. PostgreSQL stops and comes back

    @Test(.timeLimit(.minutes(4)))
    func postgresStoppedAndRestartedUnderServe() async throws {
        try await Self.withStack { stack in
            #expect(try await stack.http.send("GET", "/readyz").status == 200)
            let first = try await Self.push([Self.queues("pgdown", ["a", "b"])], stack)
            #expect(first.status == 201, "\(first)")
            try await Self.waitUntilReady(stack, "pgdown", ["a", "b"])

            // A revision pushed just before the stop, whose apply is slow: the database goes away under it.
            await stack.sandbox.setFaults(try FaultPlan.parse("latency:1500ms;op=UpsertRunQueue"))
            let upsertsBefore = await stack.sandbox.counters()["UpsertRunQueue"]
            let second = try await Self.push([Self.queues("pgdown", ["a", "b", "c", "d"])], stack)
            #expect(second.status == 201, "\(second)")
            // Until the second revision's first write has reached W&B (and waits there 1.5 s).
            try await Self.waitFor("the second revision's apply to write to W&B") {
                await stack.sandbox.counters()["UpsertRunQueue"] > upsertsBefore
            }
            let eventsBefore = try await stack.store.count("events")
            // The second revision's apply is still in flight (its queues are slow to write) when the database stops.
            #expect(try await stack.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "pgdown/c"))?.state != .ready)
            try await stack.cluster.stopServer()

            // Down: /readyz says 503 (a JSON error), /healthz still 200, a push is refused with a 5xx.
            var readiness = try await stack.http.send("GET", "/readyz")
            for _ in 0..<50 where readiness.status != 503 {
                try await Task.sleep(for: .milliseconds(100))
                readiness = try await stack.http.send("GET", "/readyz")
            }
            #expect(readiness.status == 503 && readiness.errorCode != nil, "\(readiness)")
            #expect(try await stack.http.send("GET", "/healthz").status == 200)
            let refused = try await Self.push([Self.queues("pgdown", ["a", "b", "c", "d", "refused"])], stack)
            #expect((500...599).contains(refused.status) && refused.errorCode != nil, "a push while the database is down: \(refused)")
            #expect(!refused.text.contains("postgres://"), "the error shows the database URL: \(refused.text)")
            let objectsDown = try await stack.http.send("GET", "/v1/objects", token: stack.admin)
            #expect((500...599).contains(objectsDown.status) && objectsDown.errorCode != nil, "\(objectsDown)")
            try await Task.sleep(for: .seconds(2))
            await stack.sandbox.setFaults(.none)

            try await stack.cluster.restart()
            var ready = try await stack.http.send("GET", "/readyz")
            let deadline = ContinuousClock.now + .seconds(30)
            while ready.status != 200, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                ready = try await stack.http.send("GET", "/readyz")
            }
            #expect(ready.status == 200, "/readyz after the restart: \(ready)")

            // Nothing accepted was lost, the refused push left nothing behind, and the second revision is reconciled.
            let revisions = try await stack.store.revisions.list(limit: 10, before: nil)
            #expect(revisions.map(\.number).sorted() == [1, 2], "\(revisions.map(\.number))")
            #expect(try await stack.store.count("events") >= eventsBefore)
            let state = try await stack.store.revisions.currentDesiredState()
            #expect(state?.declarations.contains { $0.identity == "pgdown/refused" } == false)
            #expect(try await stack.store.count("revision_declarations WHERE identity = 'pgdown/refused'") == 0)
            try await Self.waitUntilReady(stack, "pgdown", ["a", "b", "c", "d"])
            try await Self.expectWandbMatches(stack, entity: "pgdown", queues: ["a": "local-process", "b": "local-process", "c": "local-process", "d": "local-process"])
            let published = try await stack.store.events.page(limit: 500, before: nil, object: nil).events.filter { $0.draft.action == "revision.publish" }
            #expect(published.count == 2, "revision.publish events: \(published.count)")
        }
    }

    /// The database goes away for 15 s while a run is reading W&B, before it records its first step: the run waits
    /// for the database (no step is written to W&B unrecorded) and the revision is reconciled when it returns,
    /// not left for the next scheduled run an hour later.
    @Test(.timeLimit(.minutes(3)))
    func aRunWhoseDatabaseGoesAwayBeforeItsFirstStepFinishesWhenItReturns() async throws {
        try await Self.withStack { stack in
            await stack.sandbox.setFaults(try FaultPlan.parse("latency:1500ms;op=ReadEntities"))
            let readsBefore = await stack.sandbox.counters()["ReadEntities"]
            let pushed = try await Self.push([Self.queues("recording", ["r1", "r2"])], stack)
            #expect(pushed.status == 201, "\(pushed)")
            // The run is reading W&B (slowly) now; the database stops before it can record "started".
            try await Self.waitFor("the run to read W&B") { await stack.sandbox.counters()["ReadEntities"] > readsBefore }
            try await stack.cluster.stopServer()
            // Longer than the store waits for a connection: the recording fails rather than waits.
            try await Task.sleep(for: .seconds(15))
            await stack.sandbox.setFaults(.none)
            try await stack.cluster.restart()
            try await Self.waitUntilReady(stack, "recording", ["r1", "r2"], timeout: .seconds(45))
            try await Self.expectWandbMatches(stack, entity: "recording", queues: ["r1": "local-process", "r2": "local-process"])
        }
    }

    // MARK: b. SIGKILL in the middle of an apply

    @Test(.timeLimit(.minutes(4)))
    func serveKilledMidApplyThenRestartedConvergesWithoutDuplicates() async throws {
        let names = (0..<10).map { "k\($0)" }
        try await Self.withStack(faults: "latency:400ms;op=UpsertRunQueue", flags: Self.flags + ["--concurrency", "1"]) { stack in
            let pushed = try await Self.push([Self.queues("killed", names)], stack)
            #expect(pushed.status == 201, "\(pushed)")
            // Some queues written, the apply still going: SIGKILL.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await stack.store.objects.list(kind: "RunQueue", state: .ready).count < 2 {
                try #require(ContinuousClock.now < deadline, "no queue was written")
                try await Task.sleep(for: .milliseconds(20))
            }
            // A write in flight (arrived at W&B, not yet recorded as ready): SIGKILL now.
            try await Self.waitFor("a write in flight") {
                let ready = (try? await stack.store.objects.list(kind: "RunQueue", state: .ready).count) ?? 0
                return await stack.sandbox.counters()["UpsertRunQueue"] > ready
            }
            stack.serve.process.kill()
            let killed = await stack.serve.process.finish(timeout: .seconds(10))
            #expect(killed.signalled)
            #expect(!killed.both.contains(stack.key))

            // A second process on the same database and W&B: the interrupted step is visible in GET /v1/events.
            await stack.sandbox.setFaults(try FaultPlan.parse("latency:20ms;op=UpsertRunQueue"))
            stack.serve = try ServeProcess.start(
                name: "faults-restarted", database: stack.database, wandbURL: stack.sandbox.baseURL, apiKey: stack.key, extra: Self.flags)
            try await stack.serve.waitUntilUp()
            let events = try await stack.http.send("GET", "/v1/events?limit=500", token: stack.admin)
            #expect(events.status == 200, "\(events)")
            let list = events.json?["events"] as? [[String: Any]] ?? []
            func objects(_ outcomes: Set<String>) -> Set<String> {
                Set(list.filter { outcomes.contains($0["outcome"] as? String ?? "") }.compactMap { ($0["object"] as? [String: Any])?["id"] as? String })
            }
            let interrupted = objects(["started"]).subtracting(objects(["succeeded", "failed", "skipped", "refused"]))
            #expect(!interrupted.isEmpty, "no step was left started without an outcome: \(list.prefix(5))")

            try await Self.waitUntilReady(stack, "killed", names)
            try await Self.expectWandbMatches(stack, entity: "killed", queues: Dictionary(uniqueKeysWithValues: names.map { ($0, "local-process") }))
            // The interrupted steps are done: either the killed write reached W&B (then the next plan finds nothing to
            // do) or the restarted process wrote it again; both end with the queue once on W&B and ready.
            for id in interrupted {
                let status = try await stack.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: id))
                #expect(status?.state == .ready && status?.wandbID != nil, "\(id): \(String(describing: status))")
            }
        }
    }

    // MARK: c. W&B misbehaves during a reconcile

    @Test(.timeLimit(.minutes(4)))
    func serveConvergesThroughErrorsThrottlingLatencyAndDrops() async throws {
        let names = (0..<12).map { "f\($0)" }
        let faults = "500:0.3,429:0.2@retry-after=1,latency:200ms,drop:0.1;op=UpsertRunQueue 500:0.2,drop:0.1;op=CreateTeam,ReadEntities seed=11"
        // A 1 s backoff: with the default 30 s one, CreateTeam failing three times in a row (0.28 each) backs the team off
        // past the test's deadline; this test is about converging through faults, BackoffEndToEndTests about the waits.
        try await Self.withStack(faults: faults, flags: ["--interval", "3s", "--lease-seconds", "3", "--backoff-base", "1s"]) { stack in
            let pushed = try await Self.push([Self.queues("flaky", names)], stack)
            #expect(pushed.status == 201, "\(pushed)")
            try await Self.waitUntilReady(stack, "flaky", names, timeout: .seconds(150))
            let counters = await stack.sandbox.counters()
            #expect(counters.faultsInjected.values.reduce(0, +) > 0, "no fault was injected: \(counters)")
            await stack.sandbox.setFaults(.none)
            try await Self.expectWandbMatches(stack, entity: "flaky", queues: Dictionary(uniqueKeysWithValues: names.map { ($0, "local-process") }))
            let metrics = try await stack.http.send("GET", "/metrics")
            #expect(metrics.status == 200)
            print("FaultsServeTests: converged through \(counters.faultsInjected) injected faults, \(counters.total) W&B requests")
        }
    }
}
