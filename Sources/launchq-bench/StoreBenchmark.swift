import Declarations
import Foundation
import Logging
import Store

/// `launchq-bench store`: time to store a revision of N declarations and to read it back, against the
/// PostgreSQL in `DATABASE_URL` (it writes revisions there: run it under `scripts/with-postgres`).
///
///     scripts/with-postgres swift run -c release launchq-bench store
enum StoreBenchmark {
    static let sizes = [1_000, 2_000, 5_000, 10_000]
    static let repetitions = 3

    static func run() async throws {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            print("== Store: skipped (set DATABASE_URL, e.g. run under scripts/with-postgres) ==")
            return
        }
        let configuration = try DatabaseConfiguration(url: url)
        var logger = Logger(label: "launchq.bench.store")
        logger.logLevel = .error
        print("== Store: publish a revision of N declarations, then read the current desired state back ==")
        print("database: \(configuration)")
        print("best and median of \(repetitions) runs each; a declaration is ~230 bytes of canonical JSON")
        print("declarations  store best  store median  read best  read median  store µs/decl")
        try await PostgresStore.withStore(configuration, logger: logger) { store in
            try await store.migrator.migrate()
            var run = 0
            for size in sizes {
                var storeTimes: [Duration] = []
                var readTimes: [Duration] = []
                for _ in 0..<repetitions {
                    run += 1
                    let draft = makeDraft(size: size, run: run)
                    let expected = try await store.revisions.current()?.number
                    let clock = ContinuousClock()
                    let storeStart = clock.now
                    let stored = try await store.revisions.publish(draft, expectedCurrent: expected)
                    storeTimes.append(storeStart.duration(to: clock.now))
                    guard stored.created else { throw BenchmarkFailure(message: "revision was not stored") }

                    let readStart = clock.now
                    let state = try await store.revisions.currentDesiredState()
                    readTimes.append(readStart.duration(to: clock.now))
                    guard state?.declarations.count == size, state?.declarations.last == draft.declarations.last else {
                        throw BenchmarkFailure(message: "read back \(state?.declarations.count ?? 0) of \(size) declarations")
                    }
                }
                storeTimes.sort()
                readTimes.sort()
                let perDeclaration = milliseconds(storeTimes[0]) * 1000 / Double(size)
                print(
                    pad(String(size), 12), pad(format(storeTimes[0]), 11), pad(format(storeTimes[repetitions / 2]), 13),
                    pad(format(readTimes[0]), 10), pad(format(readTimes[repetitions / 2]), 12),
                    pad(String(format: "%.1f", perDeclaration), 14))
            }
        }
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { "store benchmark: \(message)" }
    }

    static func makeDraft(size: Int, run: Int) -> RevisionDraft {
        let kinds = ["RunQueue", "Team", "User", "Project"]
        let declarations = (0..<size).map { index in
            let kind = kinds[index % kinds.count]
            let identity = "acme/\(kind.lowercased())-\(index)"
            let document =
                #"{"kind":"\#(kind)","name":"\#(kind.lowercased())-\#(index)","entity":"acme","resource":"kubernetes","#
                + #""config":{"gpus":\#(index % 8),"image":"registry.example/train:\#(run)","memory":"\#(16 + index % 48)Gi"},"#
                + #""template_variables":{"lr":{"type":"number","min":0,"max":1}}}"#
            return DeclarationRecord(
                kind: kind, identity: identity, contentHash: ContentHash.sha256(document), document: document,
                file: "declarations/\(kind.lowercased())s/\(index / 100).yaml", line: 1 + (index % 100) * 12, column: 3)
        }
        return RevisionDraft(
            source: RevisionSource(kind: "git", location: "https://git.example/acme/launch.git", commit: "run-\(run)", author: "bench"),
            contentHash: ContentHash.sha256("bench-\(run)-\(size)"),
            declarations: declarations)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func format(_ duration: Duration) -> String { String(format: "%.1f ms", milliseconds(duration)) }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
