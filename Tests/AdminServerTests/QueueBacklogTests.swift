@testable import AdminServer
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Reconciler
import Store
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// Items pushed to a managed queue the way `launch_add` does show up after the next run: as
/// `launchq_queue_pending_items` and `launchq_queue_oldest_pending_seconds` (an age that grows between runs), and
/// with the operator metrics (objects by state, last success, W&B latency, build info).
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct QueueBacklogTests {
    /// What the SDK's `launch_add` sends first (`LaunchApi.push_to_run_queue_by_name`).
    static let pushByName = GraphQLOperation(
        name: "pushToRunQueueByName", kind: .mutation,
        document: """
            mutation pushToRunQueueByName($entityName: String!, $projectName: String!, $queueName: String!, $runSpec: JSONString!) {
                pushToRunQueueByName(input: {entityName: $entityName, projectName: $projectName, queueName: $queueName, runSpec: $runSpec}) {
                    runQueueItemId
                }
            }
            """)

    /// The value of the sample `name{labels}` in a Prometheus exposition.
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Polls the last backlog read until `condition` holds (a generous deadline for a loaded machine).
    static func waitForBacklog(_ metrics: AdminMetrics, _ condition: ([QueueBacklog]) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition(metrics.queueBacklog) {
            try #require(ContinuousClock.now < deadline, "the backlog read did not come: \(metrics.queueBacklog)")
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("pushed items become backlog gauges with the right age", .timeLimit(.minutes(4)))
    func pushedItemsShowAsBacklog() async throws {
        try await AdminHarness.with { harness in
            let files = Bundles.small(prefix: "backlog")
            try await Bundles.publish(files, to: harness.store)
            let runner = harness.services.runner
            let metrics = harness.services.metrics
            let first = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(first.outcome == "succeeded", "\(first)")
            // The backlog came with the run's batched reads: no request per queue.
            let operations = await harness.sandbox.counters().requestsByOperation
            #expect(operations["GetRunQueueBacklog"] == nil && operations["GetRunQueueItems"] == nil, "\(operations)")
            // Recorded with what W&B holds at the end of the run (polling costs nothing when it is already there).
            try await Self.waitForBacklog(metrics) { $0.first { $0.queue == "gpu" }?.pendingItems == 0 }
            var text = String(decoding: metrics.render(), as: UTF8.self)
            #expect(Self.sample(text, #"launchq_queue_pending_items{entity="backlog",queue="gpu"}"#) == 0, "\(text)")
            #expect(Self.sample(text, #"launchq_queue_oldest_pending_seconds{entity="backlog",queue="gpu"}"#) == 0)
            let ready = try await harness.store.objects.list().count { $0.state == .ready }
            #expect(ready >= 5 && Self.sample(text, #"launchq_objects{state="ready"}"#) == Double(ready), "\(text)")
            #expect((Self.sample(text, "launchq_last_successful_reconcile_timestamp_seconds") ?? 0) > Date().timeIntervalSince1970 - 600)

            let pushedAt = Date()
            for _ in 0..<2 {
                _ = try await harness.client.execute(
                    Self.pushByName,
                    variables: [
                        "entityName": .string("backlog"), "projectName": .string(Operations.launchProject), "queueName": .string("gpu"),
                        "runSpec": .string(#"{"docker_image": "python"}"#),
                    ])
            }
            let second = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(second.outcome == "succeeded", "\(second)")
            try await Self.waitForBacklog(metrics) { $0.first { $0.queue == "gpu" }?.pendingItems == 2 }
            let gpu = try #require(metrics.queueBacklog.first { $0.entity == "backlog" && $0.queue == "gpu" }, "\(metrics.queueBacklog)")
            #expect(gpu.pendingItems == 2)
            let since = try #require(gpu.oldestPendingSince)
            // The sandbox stamps whole seconds: the item may look up to a second older than the push.
            #expect(since >= pushedAt.addingTimeInterval(-1.5) && since <= Date().addingTimeInterval(1), "\(since) vs \(pushedAt)")
            #expect(metrics.queueBacklog.first { $0.queue == "local" }?.pendingItems == 0)

            text = String(decoding: metrics.render(), as: UTF8.self)
            #expect(Self.sample(text, #"launchq_queue_pending_items{entity="backlog",queue="gpu"}"#) == 2, "\(text)")
            let age = try #require(Self.sample(text, #"launchq_queue_oldest_pending_seconds{entity="backlog",queue="gpu"}"#))
            #expect(age >= 0 && age <= Date().timeIntervalSince(pushedAt) + 1.5, "\(age)")
            // The age grows between reads (poll: a loaded machine may be slow).
            let deadline = ContinuousClock.now + .seconds(30)
            var older = age
            while older < age + 1 {
                try #require(ContinuousClock.now < deadline, "the age did not grow")
                try await Task.sleep(for: .milliseconds(200))
                older = Self.sample(String(decoding: metrics.render(), as: UTF8.self), #"launchq_queue_oldest_pending_seconds{entity="backlog",queue="gpu"}"#) ?? 0
            }
            // GET /v1/objects: a backlog member per queue of the page, with when the oldest item was pushed.
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/v1/objects", method: .get, headers: AdminHarness.headers(harness.viewerToken)) { response in
                    #expect(response.status == .ok)
                    let body = try AdminHarness.json(response.body)
                    let entry = try #require(body["backlog"]?["backlog/gpu"], "\(body)")
                    #expect(entry["pendingItems"]?.integerValue == 2, "\(entry)")
                    let stamp = try #require(entry["oldestPendingSince"]?.string)
                    #expect(try Date(stamp, strategy: .iso8601).timeIntervalSince(since) == 0, "\(stamp) vs \(since)")
                    #expect(body["backlog"]?["backlog/local"]?["pendingItems"]?.integerValue == 0)
                    #expect(body["backlog"]?["backlog/local"]?["oldestPendingSince"] == .null)
                }
            }
            // The status page lists the queue with its wait.
            let rows = StatusPage.Model.backlogRows(metrics.queueBacklog, at: Date())
            #expect(rows.map(\.queue) == ["backlog/gpu"] && rows.first?.pendingItems == 2, "\(rows)")
            var model = StatusPage.Model(objects: [], revision: nil, events: [])
            model.backlog = rows
            let html = StatusPage.render(model)
            #expect(html.contains("Queue backlog") && html.contains("<code>backlog/gpu</code></td><td>2</td>"), "\(html)")
            #expect(text.contains("launchq_build_info{version="))
            #expect(text.contains(#"launchq_objects{state="failed"} 0"#))
        }
    }

    @Test("the backlog of many queues costs no W&B request; --queue-backlog false reads none", .timeLimit(.minutes(4)))
    func backlogCostsNoRequest() async throws {
        try await AdminHarness.with { harness in
            let queues = 40
            try await Bundles.publish(Bundles.many(prefix: "costly", queues: queues), to: harness.store)
            let runner = harness.services.runner
            let metrics = harness.services.metrics
            let created = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(created.outcome == "succeeded", "\(created)")
            for index in [3, 7] {
                _ = try await harness.client.execute(
                    Self.pushByName,
                    variables: [
                        "entityName": .string("costly"), "projectName": .string(Operations.launchProject), "queueName": .string("q\(index)"),
                        "runSpec": .string(#"{"docker_image": "python"}"#),
                    ])
            }
            // Two runs of a steady state (nothing to write): one reading the backlog, one told not to.
            var configuration = AdminHarness.testConfiguration()
            configuration.queueBacklog = false
            let offMetrics = AdminMetrics()
            let off = ReconcileRunner(
                store: harness.store, client: harness.client, configuration: configuration, metrics: offMetrics, logger: AdminHarness.quietLogger)
            let start = await harness.sandbox.counters()
            let on = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            let middle = await harness.sandbox.counters()
            let without = await off.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            let end = await harness.sandbox.counters()
            #expect(on.outcome == "succeeded" && without.outcome == "succeeded", "\(on) \(without)")
            #expect(on.succeeded + on.failed == 0 && without.succeeded + without.failed == 0, "a steady state writes nothing")

            func delta(_ before: SandboxCounters, _ after: SandboxCounters) -> [String: Int] {
                after.requestsByOperation.reduce(into: [:]) { delta, entry in
                    if entry.value != before[entry.key] { delta[entry.key] = entry.value - before[entry.key] }
                }
            }
            let withBacklog = delta(start, middle)
            #expect(withBacklog == delta(middle, end), "the backlog must cost no request: \(withBacklog) vs \(delta(middle, end))")
            #expect(withBacklog.keys.allSatisfy { !$0.contains("RunQueue") }, "\(withBacklog)")
            #expect((withBacklog["ReadEntities"] ?? 0) >= 1, "\(withBacklog)")

            let backlog = metrics.queueBacklog
            #expect(backlog.count == queues, "every managed queue: \(backlog.count)")
            #expect(backlog.filter { $0.pendingItems > 0 }.map(\.queue) == ["q3", "q7"], "\(backlog)")
            #expect(backlog.first { $0.queue == "q7" }?.oldestPendingSince != nil)
            #expect(offMetrics.queueBacklog.isEmpty, "told not to, serve reads no backlog")
            let text = String(decoding: offMetrics.render(), as: UTF8.self)
            #expect(!text.contains("launchq_queue_pending_items{"), "\(text)")
        }
    }

    @Test(
        "a run in several chunks keeps every chunk's backlog; a completed run forgets the entities no longer declared",
        .timeLimit(.minutes(4)))
    func backlogOfEveryChunk() async throws {
        try await AdminHarness.with(configure: { $0.queuesPerChunk = 1 }) { harness in
            func bundle(_ teams: [String]) -> [(String, String)] {
                teams.flatMap { team in Bundles.small(prefix: team).map { ("\(team)/\($0.0)", $0.1) } }
            }
            func keys() -> Set<String> { Set(harness.services.metrics.queueBacklog.map { "\($0.entity)/\($0.queue)" }) }
            func expected(_ teams: [String]) -> Set<String> { Set(teams.flatMap { ["\($0)/gpu", "\($0)/local"] }) }
            let runner = harness.services.runner
            // Three teams of two queues, one team a chunk (each holds more than one queue).
            try await Bundles.publish(bundle(["chunk-a", "chunk-b", "chunk-c"]), to: harness.store)
            let first = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(first.outcome == "succeeded", "\(first)")
            #expect(keys() == expected(["chunk-a", "chunk-b", "chunk-c"]), "every chunk's queues, not the last chunk's only")
            var text = String(decoding: harness.services.metrics.render(), as: UTF8.self)
            for team in ["chunk-a", "chunk-b", "chunk-c"] {
                #expect(Self.sample(text, #"launchq_queue_pending_items{entity="\#(team)",queue="gpu"}"#) == 0, "\(text)")
            }
            // chunk-b is no longer declared: its queues leave the backlog and the gauges once a run completes.
            try await Bundles.publish(bundle(["chunk-a", "chunk-c"]), to: harness.store)
            let second = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(second.outcome == "succeeded", "\(second)")
            #expect(keys() == expected(["chunk-a", "chunk-c"]))
            text = String(decoding: harness.services.metrics.render(), as: UTF8.self)
            #expect(!text.contains(#"entity="chunk-b""#), "\(text)")
            #expect(Self.sample(text, #"launchq_queue_pending_items{entity="chunk-c",queue="local"}"#) == 0, "\(text)")
        }
    }

    @Test("the backlog gauges are rendered from the last read at each scrape, label values escaped, ages as of the scrape")
    func backlogRenderedAtScrape() throws {
        let metrics = AdminMetrics()
        #expect(!String(decoding: metrics.render(), as: UTF8.self).contains("launchq_queue_"), "no read, no series")
        let since = Date().addingTimeInterval(-90)
        metrics.recordBacklog([
            QueueBacklog(entity: "team", queue: "gpu", pendingItems: 3, oldestPendingSince: since),
            QueueBacklog(entity: #"we"ird\"#, queue: "line\nbreak", pendingItems: 0, oldestPendingSince: nil),
        ])
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.components(separatedBy: "# TYPE launchq_queue_pending_items gauge\n").count == 2, "\(text)")
        #expect(text.contains("# HELP launchq_queue_oldest_pending_seconds Age of the oldest pending item"), "\(text)")
        #expect(Self.sample(text, #"launchq_queue_pending_items{entity="team",queue="gpu"}"#) == 3, "\(text)")
        let age = try #require(Self.sample(text, #"launchq_queue_oldest_pending_seconds{entity="team",queue="gpu"}"#))
        #expect(age >= 90 && age < 3_600, "\(age)")
        #expect(Self.sample(text, #"launchq_queue_pending_items{entity="we\"ird\\",queue="line\nbreak"}"#) == 0, "\(text)")
        // A chunk's read replaces its own entities only; a run that no longer manages an entity drops its series.
        metrics.recordBacklog([QueueBacklog(entity: "team", queue: "cpu", pendingItems: 1, oldestPendingSince: nil)], of: ["team"])
        metrics.keepBacklog(of: ["team"])
        let after = String(decoding: metrics.render(), as: UTF8.self)
        #expect(Self.sample(after, #"launchq_queue_pending_items{entity="team",queue="cpu"}"#) == 1, "\(after)")
        #expect(!after.contains(#"queue="gpu""#) && !after.contains("ird"), "\(after)")
    }

    @Test("a backlog read finds each queue by entity/queue: the first read of a repeated name, none for one not read")
    func backlogFindsQueuesByIdentity() {
        let read = [
            QueueBacklog(entity: "ml", queue: "gpu", pendingItems: 1, oldestPendingSince: nil),
            QueueBacklog(entity: "a", queue: "z/with-slash", pendingItems: 2, oldestPendingSince: nil),
            QueueBacklog(entity: "ml", queue: "cpu", pendingItems: 3, oldestPendingSince: nil),
            QueueBacklog(entity: "ml", queue: "gpu", pendingItems: 4, oldestPendingSince: nil),
            QueueBacklog(entity: "ml-ops", queue: "gpu", pendingItems: 5, oldestPendingSince: nil),
        ]
        let snapshot = BacklogSnapshot(read)
        #expect(snapshot.queues == read, "the read order is kept")
        #expect(snapshot.backlog(of: "ml/gpu")?.pendingItems == 1)
        #expect(snapshot.backlog(of: "ml/cpu")?.pendingItems == 3)
        #expect(snapshot.backlog(of: "ml-ops/gpu")?.pendingItems == 5)
        #expect(snapshot.backlog(of: "a/z/with-slash")?.pendingItems == 2)
        for absent in ["ml/tpu", "ml", "ml-ops/cpu", "zz/gpu", "", "/gpu"] { #expect(snapshot.backlog(of: absent) == nil, "\(absent)") }
        #expect(BacklogSnapshot.empty.backlog(of: "ml/gpu") == nil)
    }
}

