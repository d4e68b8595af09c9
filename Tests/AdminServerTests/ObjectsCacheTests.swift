@testable import AdminServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import JSON
import NIOCore
import Store
import Synchronization
import Testing
import TestSupport
import WandbModel

/// `GET /v1/objects`' shared summary and page bodies against PostgreSQL: computed once per change of the objects,
/// recomputed after any write (ObjectsPagingTests checks the answers' ETags and 304s end to end).
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ObjectsCacheTests {
    static func queues(_ count: Int, state: ObjectState = .ready) -> [ObjectStatus] {
        (0..<count).map { ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: "e/q\($0)"), state: state) }
    }

    @Test func theSummaryIsComputedOncePerChangeOfTheObjects() async throws {
        try await TestDatabase.withFreshDatabase { store in
            let objects = store.objects
            try await objects.record(Self.queues(30))
            let summaries = ObjectSummaries()
            let all = ObjectFilter(), queues = ObjectFilter(kind: "RunQueue")
            let first = try await summaries.summary(all, store: objects)
            for _ in 0..<5 { #expect(try await summaries.summary(all, store: objects) == first) }
            #expect(await summaries.computed == 1, "no change: one aggregate")
            #expect(try await summaries.summary(queues, store: objects).total == 30)
            #expect(await summaries.computed == 2, "another filter has its own")

            // Any write moves the version: the next request sees the change, and later ones share it again.
            var changed = Self.queues(30)
            changed[4].state = .failed
            try await objects.record(changed[4])
            let second = try await summaries.summary(all, store: objects)
            #expect(second.counts[.failed] == 1)
            #expect(second.fingerprint != first.fingerprint)
            #expect(second.version > first.version)
            #expect(try await summaries.summary(all, store: objects) == second)
            #expect(await summaries.computed == 3)
            #expect(try await objects.remove(changed[4].key))
            #expect(try await summaries.summary(queues, store: objects).total == 29)
            #expect(await summaries.computed == 4)
        }
    }

    @Test func waitersForANewerVersionShareOneQueryWhenTheOneInFlightIsOlder() async throws {
        try await TestDatabase.withFreshDatabase { store in
            try await store.objects.record(Self.queues(10))
            let held = HeldSummary(store.objects)
            let summaries = ObjectSummaries()
            // The first summary is read, then held back while the objects change.
            let first = Task { try await summaries.summary(ObjectFilter(), store: held) }
            #expect(try await Poll.until { held.reads.withLock { $0 } == 1 })
            var changed = Self.queues(10)
            changed[0].state = .failed
            try await store.objects.record(changed[0])
            // Twenty requests that know the new version wait for the old summary, then need a newer one.
            let waiters = (0..<20).map { _ in Task { try await summaries.summary(ObjectFilter(), store: held) } }
            #expect(try await Poll.until { await summaries.waiting >= 20 })
            held.release()
            let old = try await first.value
            #expect(old.counts[.failed] == nil)
            for waiter in waiters { #expect(try await waiter.value.counts[.failed] == 1) }
            #expect(await summaries.computed == 2, "one query for the old version and one shared by every waiter")
            #expect(held.reads.withLock { $0 } == 2)
        }
    }

    @Test func aNewBacklogReadChangesTheListingAtOnce() async throws {
        try await AdminHarness.with { harness in
            try await harness.store.objects.record(ObjectsPagingTests.fleet())
            try await harness.application.test(.router) { client in
                let path = "/v1/objects?limit=100&kind=RunQueue"
                let first = try await ObjectsPagingTests.get(client, harness, path)
                let tag = try #require(first.tag)
                #expect(first.body?["backlog"] == .object([:]))
                let since = Date(timeIntervalSince1970: 1_800_000_000)
                // A read of 500 queues and one on this page: the next request shows it, with a new tag.
                var read = (0..<500).map { QueueBacklog(entity: "x\($0 / 100)", queue: "q\($0)", pendingItems: 1, oldestPendingSince: since) }
                read.append(QueueBacklog(entity: "e00", queue: "q001", pendingItems: 4, oldestPendingSince: since))
                harness.services.metrics.recordBacklog(read)
                let second = try await ObjectsPagingTests.get(client, harness, path, [.ifNoneMatch: tag])
                #expect(second.status == .ok)
                let secondTag = try #require(second.tag)
                #expect(secondTag != tag)
                #expect(second.body?["backlog"]?["e00/q001"]?["pendingItems"] == .integer(4))
                #expect(try await ObjectsPagingTests.get(client, harness, path, [.ifNoneMatch: secondTag]).status == .notModified)
                // The same read again keeps the tag; one count changed gives a new one.
                harness.services.metrics.recordBacklog(read)
                #expect(try await ObjectsPagingTests.get(client, harness, path, [.ifNoneMatch: secondTag]).status == .notModified)
                read[read.count - 1].pendingItems = 5
                harness.services.metrics.recordBacklog(read)
                let third = try await ObjectsPagingTests.get(client, harness, path, [.ifNoneMatch: secondTag])
                #expect(third.status == .ok)
                #expect(third.tag != secondTag)
                #expect(third.body?["backlog"]?["e00/q001"]?["pendingItems"] == .integer(5))
            }
        }
    }

    @Test func aPageIsRenderedOncePerKeyAndAgainForANewVersion() async throws {
        let pages = ObjectPages()
        let renders = Mutex(0)
        func render(_ text: String) -> @Sendable () async throws -> ByteBuffer {
            { renders.withLock { $0 += 1 }; return ByteBuffer(string: text) }
        }
        let query = ObjectsQuery(filter: ObjectFilter(), limit: 100, after: nil)
        let key = ObjectPages.Key(query: query, version: 3, entityTag: "\"a\"")
        #expect(try await pages.body(for: key, render: render("v3")) == ByteBuffer(string: "v3"))
        #expect(try await pages.body(for: key, render: render("never")) == ByteBuffer(string: "v3"))
        #expect(renders.withLock { $0 } == 1)
        let newer = ObjectPages.Key(query: query, version: 4, entityTag: "\"b\"")
        #expect(try await pages.body(for: newer, render: render("v4")) == ByteBuffer(string: "v4"))
        var other = query
        other.limit = 10
        #expect(try await pages.body(for: .init(query: other, version: 4, entityTag: "\"b\""), render: render("small")) == ByteBuffer(string: "small"))
        #expect(renders.withLock { $0 } == 3)
        // Full: the older version's page goes first.
        for limit in 20..<(20 + ObjectPages.capacity - 3) {
            var query = query
            query.limit = limit
            _ = try await pages.body(for: .init(query: query, version: 4, entityTag: "\"b\""), render: render("\(limit)"))
        }
        #expect(try await pages.body(for: newer, render: render("gone")) == ByteBuffer(string: "v4"), "still kept")
        var last = query
        last.limit = 99
        _ = try await pages.body(for: .init(query: last, version: 4, entityTag: "\"b\""), render: render("99"))
        #expect(try await pages.body(for: newer, render: render("gone")) == ByteBuffer(string: "v4"), "the current version stays")
        #expect(try await pages.body(for: key, render: render("v3 again")) == ByteBuffer(string: "v3 again"), "the old one went")
        #expect(await pages.rendered == renders.withLock { $0 })
    }
}

/// The real repository whose first summary is held back after it was read, until ``release()``: an old summary in
/// flight while the objects change.
private final class HeldSummary: ObjectStatusRepository, Sendable {
    let base: any ObjectStatusRepository
    let reads = Mutex(0)
    private let gate = Mutex<(open: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))

    init(_ base: any ObjectStatusRepository) { self.base = base }

    func release() {
        let waiting = gate.withLock { gate in
            gate.open = true
            defer { gate.waiting = nil }
            return gate.waiting
        }
        waiting?.resume()
    }

    func summary(_ filter: ObjectFilter) async throws -> ObjectSummary {
        let summary = try await base.summary(filter)
        let first = reads.withLock { reads in
            reads += 1
            return reads == 1
        }
        if first {
            await withCheckedContinuation { continuation in
                let open = gate.withLock { gate in
                    if !gate.open { gate.waiting = continuation }
                    return gate.open
                }
                if open { continuation.resume() }
            }
        }
        return summary
    }

    func record(_ statuses: [ObjectStatus]) async throws { try await base.record(statuses) }
    func status(of key: ObjectKey) async throws -> ObjectStatus? { try await base.status(of: key) }
    func list(kind: String?, state: ObjectState?) async throws -> [ObjectStatus] { try await base.list(kind: kind, state: state) }
    func page(_ filter: ObjectFilter, after: ObjectKey?, limit: Int) async throws -> ObjectPage {
        try await base.page(filter, after: after, limit: limit)
    }
    func version() async throws -> Int64 { try await base.version() }
    func remove(_ key: ObjectKey) async throws -> Bool { try await base.remove(key) }
    func lastAppliedHashes() async throws -> [String: String] { try await base.lastAppliedHashes() }
    func appliedPolicyTexts() async throws -> [String: String] { try await base.appliedPolicyTexts() }
}

/// Polls `condition` every 10 ms until it holds (20 s at most); whether it held.
private enum Poll {
    static func until(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}
