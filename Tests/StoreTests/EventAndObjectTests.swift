import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

@Suite("Events and object status against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct EventAndObjectTests {
    @Test func eventsPageNewestFirstAndCannotBeChanged() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let events: any EventRepository = store.events
            let revision = try await store.revisions.publish(draft([declaration(1)]), expectedCurrent: nil).revision.number
            let queue = ObjectKey(kind: "RunQueue", identity: "acme/gpu")
            var drafts: [EventDraft] = []
            for n in 0..<25 {
                drafts.append(
                    EventDraft(
                        actor: "reconciler", object: n % 5 == 0 ? queue : ObjectKey(kind: "Team", identity: "t\(n)"),
                        action: "update", before: awkwardTexts[n % awkwardTexts.count], after: "{\"n\":\(n)}",
                        outcome: n == 24 ? .failed : .succeeded, message: n == 24 ? "boom" : nil, revision: revision))
            }
            let stored = try await events.append(drafts)
            #expect(stored.map(\.draft) == drafts)

            var seen: [Event] = []
            var cursor: Int64?
            var pages = 0
            repeat {
                let page = try await events.page(limit: 10, before: cursor, object: nil)
                seen += page.events
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(pages == 3)
            #expect(seen.map(\.id) == stored.map(\.id).reversed())
            #expect(seen.first?.draft.outcome == .failed && seen.first?.draft.message == "boom")

            let forQueue = try await events.page(limit: 100, before: nil, object: queue)
            #expect(forQueue.events.count == 5 && forQueue.nextCursor == nil)
            #expect(forQueue.events.allSatisfy { $0.draft.object == queue })

            let system = try await events.append(EventDraft(actor: "token:ci", action: "token.create", outcome: .succeeded))
            #expect(system.draft.object == nil && system.draft.revision == nil)

            // Append-only: the database refuses to rewrite history.
            await #expect(throws: (any Error).self) {
                try await store.client.query("UPDATE events SET outcome = 'succeeded'", logger: TestDatabase.logger)
            }
            await #expect(throws: (any Error).self) {
                try await store.client.query("DELETE FROM events", logger: TestDatabase.logger)
            }
            #expect(try await store.count("events") == 26)
        }
    }

    @Test func objectStatusIsUpsertedByKindAndIdentity() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let objects: any ObjectStatusRepository = store.objects
            let key = ObjectKey(kind: "RunQueue", identity: awkwardTexts[0])
            let reconciled = Date(timeIntervalSince1970: 1_790_000_000)
            try await objects.record(ObjectStatus(key: key, desiredHash: "d1", state: .pending))
            try await objects.record([
                ObjectStatus(
                    key: key, desiredHash: "d1", observedState: #"{"name":"it's"}"#, observedHash: "o1", wandbID: "UnVuUXVldWU6MQ==",
                    state: .failed, lastError: awkwardTexts[2], attempts: 3, lastReconciledAt: reconciled),
                ObjectStatus(key: ObjectKey(kind: "Team", identity: "ml"), desiredHash: "t", state: .ready),
            ])
            let status = try #require(try await objects.status(of: key))
            #expect(status.state == .failed && status.attempts == 3 && status.lastError == awkwardTexts[2])
            #expect(status.observedState == #"{"name":"it's"}"# && status.wandbID == "UnVuUXVldWU6MQ==")
            #expect(status.lastReconciledAt == reconciled)
            #expect(status.updatedAt != nil)

            #expect(try await objects.list().map(\.key.kind) == ["RunQueue", "Team"])
            #expect(try await objects.list(kind: "Team", state: nil).map(\.key.identity) == ["ml"])
            #expect(try await objects.list(kind: nil, state: .failed).map(\.key) == [key])
            #expect(try await objects.status(of: ObjectKey(kind: "RunQueue", identity: "nope")) == nil)
            #expect(try await objects.remove(key))
            #expect(try await objects.remove(key) == false)
            #expect(try await store.count("objects") == 1)
        }
    }

    @Test("a large recording is written in chunks: every row, the last of repeated keys, nulls, awkward text and times exact")
    func largeRecordingsAreChunked() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let objects: any ObjectStatusRepository = store.objects
            // Sub-microsecond parts are truncated as a directly bound Date is.
            let reconciled = Date(timeIntervalSince1970: 1_790_000_000.123456789)
            let count = 1_234
            var statuses = (0..<count).map { n in
                ObjectStatus(
                    key: ObjectKey(kind: "RunQueue", identity: "team-\(n % 7)/q\(n)"), desiredHash: "d\(n)",
                    observedState: n % 2 == 0 ? nil : awkwardTexts[n % awkwardTexts.count], observedHash: "o\(n)",
                    state: .ready, lastError: n % 3 == 0 ? awkwardTexts[n % awkwardTexts.count] : nil, attempts: n % 4,
                    lastReconciledAt: n % 5 == 0 ? nil : reconciled, appliedPolicy: n == 1 ? #"{"prune":true}"# : nil)
            }
            // A repeated key: the later status wins, as with one statement per row.
            statuses.append(ObjectStatus(key: statuses[10].key, desiredHash: "again", state: .failed, attempts: 9))
            try await objects.record(statuses)

            #expect(try await store.count("objects") == count)
            let stored = Dictionary(uniqueKeysWithValues: try await objects.list().map { ($0.key, $0) })
            // The reference: the same time bound directly, as one statement per row wrote it.
            var boundDirectly: Date?
            for try await value in try await store.client.query("SELECT \(reconciled)::timestamptz", logger: TestDatabase.logger).decode(Date.self) {
                boundDirectly = value
            }
            #expect(boundDirectly != nil && boundDirectly != reconciled)
            for expected in statuses.prefix(count) where expected.key != statuses[10].key {
                let row = try #require(stored[expected.key])
                #expect(row.desiredHash == expected.desiredHash && row.observedState == expected.observedState)
                #expect(row.lastError == expected.lastError && row.attempts == expected.attempts)
                #expect(row.lastReconciledAt == (expected.lastReconciledAt == nil ? nil : boundDirectly))
                #expect(row.appliedPolicy == expected.appliedPolicy)
            }
            let repeated = try #require(stored[statuses[10].key])
            #expect(repeated.desiredHash == "again" && repeated.state == .failed && repeated.attempts == 9 && repeated.observedState == nil)

            // Recording nil keeps the stored policy (COALESCE), chunked or not.
            try await objects.record([ObjectStatus(key: statuses[1].key, desiredHash: "d1", state: .ready)])
            #expect(try await objects.status(of: statuses[1].key)?.appliedPolicy == #"{"prune":true}"#)
        }
    }
}
