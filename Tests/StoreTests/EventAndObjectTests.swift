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
}
