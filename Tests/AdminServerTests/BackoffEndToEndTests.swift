@testable import AdminServer
import Declarations
import Foundation
import Store
import Testing
import TestSupport
import WandbSandbox

/// Objects whose writes keep failing back off: later scheduled runs leave them alone (no W&B writes) until
/// their wait is over, while an explicit request for one object tries it at once.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct BackoffEndToEndTests {
    @Test func failingQueuesAreDeferredBySchedulesButNotByExplicitRequests() async throws {
        try await AdminHarness.with(configure: { $0.backoff.base = .seconds(60); $0.maxRounds = 1 }) { harness in
            let files = Bundles.small(prefix: "backoff")
            try await Bundles.publish(files, to: harness.store)
            // Every queue write fails; users, teams and projects go through.
            await harness.sandbox.setFaults(try FaultPlan.parse("500:1.0;op=UpsertRunQueue,CreateRunQueue,UpdateDefaultResourceConfig,CreateDefaultResourceConfig"))
            let runner = harness.services.runner
            let first = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(first.outcome == "failed")
            #expect(first.failed == 2, "\(first)")
            #expect(first.deferred == 0)
            let queue = try #require(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "backoff/gpu")))
            #expect(queue.state == .failed)

            // The next scheduled run does not touch the failing queues.
            await harness.sandbox.resetCounters()
            let second = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(second.deferred == 2, "\(second)")
            #expect(second.failed == 0)
            #expect(await harness.sandbox.counters().mutations == 0)
            #expect(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "backoff/gpu"))?.state == .failed)

            // W&B recovers; an explicit request for one queue ignores its backoff and fixes it.
            await harness.sandbox.setFaults(.none)
            let explicit = await runner.run(ReconcileRequest(trigger: "request", object: ObjectKey(kind: "RunQueue", identity: "backoff/gpu")), drain: DrainSignal())
            #expect(explicit.succeeded == 1, "\(explicit)")
            #expect(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "backoff/gpu"))?.state == .ready)
            // The other is still waiting out its backoff on schedules.
            let third = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(third.deferred == 1, "\(third)")
            #expect(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "backoff/local"))?.state == .failed)
        }
    }
}
