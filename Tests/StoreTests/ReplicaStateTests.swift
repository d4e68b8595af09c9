import Foundation
import PostgresNIO
import Store
import Synchronization
import Testing
import TestSupport

/// What replicas share through PostgreSQL (migration 0002): the suspension, per-object backoff, reconcile requests
/// fenced by the lease term, and the `LISTEN/NOTIFY` channel that announces them.
@Suite("Replica state against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ReplicaStateTests {
    @Test func suspensionIsOneSharedRowAndEveryChangeIsAnnounced() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            #expect(try await store.control.suspension().suspended == false)
            let heard = Heard()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await store.listenForControl(listening: { heard.listening.withLock { $0 = true } }) { payload in
                        heard.payloads.withLock { $0.append(payload) }
                    }
                }
                try await Self.until("the listener is listening") { heard.listening.withLock { $0 } }
                let suspended = try await store.control.setSuspended(true, by: "token:ci")
                #expect(suspended.suspended && suspended.changedBy == "token:ci")
                #expect(try await store.control.suspension() == suspended)
                let request = try await store.reconcileRequests.record(object: nil, by: "token:ci", replica: "replica-b")
                try await store.control.setSuspended(false, by: "token:ops")
                try await Self.until("three notifications arrive") { heard.payloads.withLock { $0.count >= 3 } }
                #expect(heard.payloads.withLock { $0 } == ["suspend", "reconcile:\(request.id)", "resume"])
                group.cancelAll()
            }
            let resumed = try await store.control.suspension()
            #expect(!resumed.suspended && resumed.changedBy == "token:ops")
        }
    }

    @Test func requestsAreClaimedOnceFinishedWithTheRunAndReclaimedByANewerTerm() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let requests = store.reconcileRequests
            let all = try await requests.record(object: nil, by: "token:ci", replica: "replica-b")
            let one = try await requests.record(object: ObjectKey(kind: "RunQueue", identity: "ml/a100"), by: "token:ci", replica: "replica-b")
            #expect(all.state == .pending && all.object == nil && one.object?.identity == "ml/a100")
            #expect(try await requests.hasOpen(olderThanTerm: 1))

            let claimed = try await requests.claim(replica: "replica-a", term: 3)
            #expect(claimed.map(\.id) == [all.id, one.id])
            #expect(claimed.allSatisfy { $0.state == .running && $0.claimedBy == "replica-a" })
            // Claimed once: the same term (or an older one) finds nothing more.
            #expect(try await requests.claim(replica: "replica-a", term: 3).isEmpty)
            #expect(try await requests.claim(replica: "replica-c", term: 2).isEmpty)
            // A newer leader takes over what the old one never finished (it died holding them).
            let reclaimed = try await requests.claim(replica: "replica-c", term: 4)
            #expect(reclaimed.map(\.id) == [all.id, one.id] && reclaimed.allSatisfy { $0.claimedBy == "replica-c" })

            try await requests.finish([all.id], outcome: "succeeded", run: #"{"outcome":"succeeded"}"#)
            let finished = try #require(try await requests.find(all.id))
            #expect(finished.state == .finished && finished.outcome == "succeeded" && finished.run == #"{"outcome":"succeeded"}"#)
            #expect(finished.finishedAt != nil && finished.startedAt != nil)
            #expect(try await requests.find(one.id)?.state == .running)
            #expect(try await requests.find(9_999) == nil)

            // Finished requests are kept a week: finishing another deletes the older ones.
            let backdated = try await store.values(
                "UPDATE reconcile_requests SET finished_at = now() - interval '8 days' WHERE id = \(all.id) RETURNING id", as: Int64.self)
            #expect(backdated == [all.id])
            try await requests.finish([one.id], outcome: "failed", run: "{}")
            #expect(try await requests.find(all.id) == nil)
            #expect(try await requests.find(one.id)?.outcome == "failed")
        }
    }

    @Test func backoffEntriesKeepFailuresAndTheirWaitOnTheDatabaseClock() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            #expect(try await store.backoff.all().isEmpty)
            try await store.backoff.recordFailure("RunQueue ml/a100", failures: 1, wait: .seconds(60))
            try await store.backoff.recordFailure("RunQueue ml/a100", failures: 2, wait: .seconds(120))
            try await store.backoff.recordFailure("Team ml", failures: 1, wait: .zero)
            let entries = try await store.backoff.all()
            #expect(entries.map(\.id) == ["RunQueue ml/a100", "Team ml"])
            let queue = try #require(entries.first)
            #expect(queue.failures == 2)
            #expect(queue.remaining > .seconds(100) && queue.remaining <= .seconds(120), "\(queue.remaining)")
            #expect(entries[1].remaining <= .zero)
            try await store.backoff.clear("RunQueue ml/a100")
            #expect(try await store.backoff.all().map(\.id) == ["Team ml"])
        }
    }

    @Test func applyHoldersAreToldApartFromReplicas() {
        let holder = LeaseHolder.apply(user: "ana", host: "laptop", pid: 42)
        #expect(holder == "launchq apply by ana on laptop (pid 42)")
        #expect(LeaseHolder.isApply(holder))
        #expect(!LeaseHolder.isApply("serve-1:123:abc"))
    }

    /// What a listener heard.
    final class Heard: Sendable {
        let payloads = Mutex<[String]>([])
        let listening = Mutex(false)
    }

    /// Polls `condition` every 20 ms for up to 30 s.
    static func until(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !condition() {
            try #require(ContinuousClock.now < deadline, "timed out waiting until \(what)")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
