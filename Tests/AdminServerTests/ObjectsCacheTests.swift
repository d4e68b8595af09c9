@testable import AdminServer
import Foundation
import NIOCore
import Store
import Synchronization
import Testing
import TestSupport

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
