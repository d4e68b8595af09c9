import Foundation
import Store
import Testing
import TestSupport

@Suite("The recorder's light reads and observed-state writes against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ObservedRecordingTests {
    @Test("listWithoutObservedState: every column but the observed state, optionally one kind or some identities, in key order")
    func listsWithoutObservedState() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let objects: any ObjectStatusRepository = store.objects
            let statuses = (0..<7).map { n in
                ObjectStatus(
                    key: ObjectKey(kind: n < 5 ? "RunQueue" : "Team", identity: "t/q\(6 - n)"), desiredHash: "d\(n)", observedState: #"{"n":\#(n)}"#,
                    observedHash: "o\(n)", wandbID: "id\(n)", state: n == 2 ? .failed : .ready, lastError: n == 2 ? "boom" : nil, attempts: n,
                    appliedPolicy: n == 1 ? #"{"protect":false}"# : nil)
            }
            try await objects.record(statuses)
            let full = try await objects.list(kind: nil, state: nil)
            let light = try await objects.listWithoutObservedState(kind: nil)
            #expect(light.map(\.key) == full.map(\.key))
            for (row, reference) in zip(light, full) {
                #expect(row.observedState == nil && reference.observedState != nil)
                #expect(row.desiredHash == reference.desiredHash && row.observedHash == reference.observedHash && row.wandbID == reference.wandbID)
                #expect(row.state == reference.state && row.lastError == reference.lastError && row.attempts == reference.attempts)
                #expect(row.lastReconciledAt == reference.lastReconciledAt && row.updatedAt == reference.updatedAt)
                #expect(row.appliedPolicy == reference.appliedPolicy)
            }
            let queues = try await objects.listWithoutObservedState(kind: "RunQueue")
            #expect(queues.map(\.key.identity) == ["t/q2", "t/q3", "t/q4", "t/q5", "t/q6"])
            // One chunk's queues: only those identities, of that kind, in key order; none for an empty list.
            let chunk = try await objects.listWithoutObservedState(kind: "RunQueue", identities: ["t/q5", "t/q2", "t/q1", "t/absent"])
            #expect(chunk.map(\.key.identity) == ["t/q2", "t/q5"])
            #expect(chunk.allSatisfy { $0.observedState == nil && $0.observedHash != nil })
            #expect(try await objects.listWithoutObservedState(kind: "RunQueue", identities: []).isEmpty)

            // What a run plans with, read as two columns a row: the same as derived from the full rows.
            var hashes: [String: String] = [:]
            var policies: [String: String] = [:]
            for status in full {
                let key = "\(status.key.kind) \(status.key.identity)"
                if status.state != .failed, let hash = status.desiredHash { hashes[key] = hash }
                if let policy = status.appliedPolicy { policies[key] = policy }
            }
            #expect(try await objects.lastAppliedHashes() == hashes)
            #expect(hashes.count == 6 && hashes["RunQueue t/q4"] == nil, "the failed object's hash is not the last applied one")
            #expect(try await objects.appliedPolicyTexts() == ["RunQueue t/q5": #"{"protect":false}"#])
        }
    }

    @Test("recordObserved: sets the W&B id and observed state of recorded objects only, keeps every other column")
    func recordsObservedStateOnly() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let objects: any ObjectStatusRepository = store.objects
            let reconciled = Date(timeIntervalSince1970: 1_790_000_000)
            let count = 1_203  // over two statements' worth
            let statuses = (0..<count).map { n in
                ObjectStatus(
                    key: ObjectKey(kind: "RunQueue", identity: "t/q\(n)"), desiredHash: "d\(n)", observedState: "old", observedHash: "old",
                    state: n % 3 == 0 ? .failed : .ready, lastError: n % 3 == 0 ? "error \(n)" : nil, attempts: n % 4, lastReconciledAt: reconciled,
                    appliedPolicy: #"{"protect":true}"#)
            }
            try await objects.record(statuses)
            let before = Dictionary(uniqueKeysWithValues: try await objects.list().map { ($0.key, $0) })
            var observed = statuses.map { status in
                var status = status
                (status.wandbID, status.observedState, status.observedHash) = ("id-\(status.key.identity)", "new \"\(status.key.identity)\"\n", "h")
                // Other columns given here are not written.
                (status.state, status.lastError, status.attempts, status.desiredHash) = (.drifted, "ignored", 99, "ignored")
                return status
            }
            observed.append(ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: "never/recorded"), observedState: "x", state: .ready))
            try await objects.recordObserved(observed)

            #expect(try await objects.status(of: ObjectKey(kind: "RunQueue", identity: "never/recorded")) == nil)
            let after = try await objects.list()
            #expect(after.count == count)
            for row in after {
                let old = try #require(before[row.key])
                #expect(row.wandbID == "id-\(row.key.identity)" && row.observedState == "new \"\(row.key.identity)\"\n" && row.observedHash == "h")
                #expect(row.state == old.state && row.lastError == old.lastError && row.attempts == old.attempts && row.desiredHash == old.desiredHash)
                #expect(row.lastReconciledAt == old.lastReconciledAt && row.appliedPolicy == old.appliedPolicy)
            }
        }
    }
}
