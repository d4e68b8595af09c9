import Declarations
import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

/// Text that breaks string-built SQL: quotes, backslashes, unicode, SQL keywords, comment markers.
let awkwardTexts = [
    "it's a \"queue\"; DROP TABLE revisions; --",
    "Robert'); DELETE FROM api_tokens; --",
    "ünïcødé 队列 🚀 \\n \\' $$ $tag$",
    "/* not a comment */ SELECT 1;",
    "tab\tand\nnewline",
]

func declaration(_ n: Int, kind: String = "RunQueue", identity: String? = nil, document: String? = nil) -> DeclarationRecord {
    DeclarationRecord(
        kind: kind, identity: identity ?? "acme/queue-\(n)", contentHash: ContentHash.sha256("decl-\(n)"),
        document: document ?? #"{"name":"queue-\#(n)","resource":"kubernetes","config":{"gpus":\#(n % 8)}}"#,
        file: "queues/q\(n).yaml", line: n + 1, column: 3)
}

func draft(
    _ declarations: [DeclarationRecord],
    source: RevisionSource = .init(kind: "git", location: "https://git.example/acme.git", commit: "abc123", author: "ci")
) -> RevisionDraft {
    RevisionDraft(source: source, contentHash: ContentHash.sha256(declarations.map(\.contentHash).joined(separator: ",")), declarations: declarations)
}

@Suite("Revisions against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct RevisionTests {
    @Test func publishStoresARevisionAndMakesItCurrent() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let repository: any RevisionRepository = store.revisions
            #expect(try await repository.current() == nil)
            #expect(try await repository.currentDesiredState() == nil)

            let first = draft((0..<3).map { declaration($0) })
            let stored = try await repository.publish(first, expectedCurrent: nil)
            #expect(stored.created)
            #expect(stored.revision.source == first.source)
            #expect(stored.revision.declarationCount == 3)
            let state = try #require(try await repository.currentDesiredState())
            #expect(state.revision == stored.revision)
            #expect(state.declarations == first.declarations)

            // Same content hash: nothing new is stored.
            let again = try await repository.publish(first, expectedCurrent: stored.revision.number)
            #expect(!again.created)
            #expect(again.revision == stored.revision)
            #expect(try await store.count("revisions") == 1)
            #expect(try await repository.store(first).created == false)

            let second = draft((0..<4).map { declaration($0) })
            let next = try await repository.publish(second, expectedCurrent: stored.revision.number)
            #expect(next.created && next.revision.number > stored.revision.number)
            #expect(try await repository.list(limit: 10, before: nil).map(\.number) == [next.revision.number, stored.revision.number])
            #expect(try await repository.list(limit: 10, before: next.revision.number).map(\.number) == [stored.revision.number])
            #expect(try await repository.desiredState(at: stored.revision.number)?.declarations == first.declarations)
            #expect(try await repository.desiredState(at: 999_999) == nil)
        }
    }

    @Test func storeThenSetCurrentWithOptimisticConcurrency() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let repository = store.revisions
            let a = try await repository.store(draft([declaration(1)]))
            #expect(try await repository.current() == nil, "store alone does not change the current revision")
            try await repository.setCurrent(a.revision.number, expectedCurrent: nil)
            #expect(try await repository.current() == a.revision)

            let b = try await repository.store(draft([declaration(2)]))
            let conflict = await storeError { try await repository.setCurrent(b.revision.number, expectedCurrent: nil) }
            #expect(conflict?.code == .revisionConflict)
            #expect(conflict?.currentRevision == a.revision.number)
            let missing = await storeError { try await repository.setCurrent(424_242, expectedCurrent: a.revision.number) }
            #expect(missing?.code == .revisionNotFound)
            try await repository.setCurrent(b.revision.number, expectedCurrent: a.revision.number)
            #expect(try await repository.current()?.number == b.revision.number)
        }
    }

    @Test(arguments: 0..<3)
    func twoConcurrentWritersWithTheSameExpectedRevisionExactlyOneWins(round: Int) async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let repository = store.revisions
            let base = try await repository.publish(draft([declaration(0)]), expectedCurrent: nil).revision.number

            enum Outcome: Sendable, Equatable { case won(RevisionNumber), conflict(RevisionNumber?) }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for writer in 1...2 {
                    group.addTask {
                        let mine = draft((0...(writer * 50 + round)).map { declaration($0) })
                        do {
                            return .won(try await repository.publish(mine, expectedCurrent: base).revision.number)
                        } catch let error as StoreError where error.code == .revisionConflict {
                            return .conflict(error.currentRevision)
                        }
                    }
                }
                return try await group.reduce(into: [Outcome]()) { $0.append($1) }
            }
            let winners = outcomes.compactMap { if case .won(let n) = $0 { n } else { nil } }
            let conflicts = outcomes.compactMap { if case .conflict(let n) = $0 { n } else { nil } }
            #expect(winners.count == 1, "\(outcomes)")
            #expect(conflicts == winners.map { Optional($0) }, "the loser is told which revision won")
            #expect(try await repository.current()?.number == winners.first)
            #expect(try await store.count("revisions") == 2, "the loser stored nothing")
        }
    }

    @Test func aRevisionIsStoredAllOrNothing() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            var declarations = (0..<10).map { declaration($0) }
            // PostgreSQL text cannot hold NUL: the 10th declaration fails after the revision row was inserted.
            declarations[9].document = "{\"bad\":\"\u{0}\"}"
            let error = await storeError { _ = try await store.revisions.publish(draft(declarations), expectedCurrent: nil) }
            #expect(error?.code == .database)
            #expect(try await store.count("revisions") == 0)
            #expect(try await store.count("revision_declarations") == 0)
            #expect(try await store.revisions.current() == nil)

            let duplicate = draft([declaration(1), declaration(1)])
            #expect(await storeError { _ = try await store.revisions.store(duplicate) }?.code == .invalidRevision)
            #expect(try await store.count("revisions") == 0)
        }
    }

    @Test func awkwardTextRoundTripsUnchanged() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let declarations = awkwardTexts.enumerated().map { index, text in
                DeclarationRecord(
                    kind: "Team", identity: text, contentHash: "h\(index)", document: #"{"description":"\#(text)"}"#,
                    file: "dir with 'quotes'/\(text).yaml", line: index, column: index * 2)
            }
            let source = RevisionSource(kind: "api", location: awkwardTexts[0], commit: awkwardTexts[3], author: awkwardTexts[2])
            let stored = try await store.revisions.publish(draft(declarations, source: source), expectedCurrent: nil)
            let state = try #require(try await store.revisions.currentDesiredState())
            #expect(state.revision.source == source)
            #expect(state.declarations == declarations)
            #expect(state.revision == stored.revision)
            #expect(try await store.count("revisions") == 1, "the DROP/DELETE text did nothing")
        }
    }

    /// A revision larger than one statement's byte budget is written in several batches, in order, all or nothing.
    @Test func aLargeRevisionIsWrittenInBatchesInOrder() async throws {
        let body = String(repeating: "x", count: 40 * 1024)
        let declarations = (0..<20).map { declaration($0, document: #"{"name":"queue-\#($0)","description":"\#(body)"}"#) }
        let batches = PostgresRevisionRepository.batches(of: declarations)
        #expect(batches.count == 4, "6 documents of ~40 KiB fit in 256 KiB")
        #expect(batches.first?.lowerBound == 0 && batches.last?.upperBound == 20)
        #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        try await TestDatabase.withFreshDatabase { (store) async throws in
            _ = try await store.revisions.publish(draft(declarations), expectedCurrent: nil)
            let state = try #require(try await store.revisions.currentDesiredState())
            #expect(state.declarations == declarations)
        }
    }
}
