import Foundation
import JSON
import Logging
import WandbAPI
import WandbModel
import WandbSandbox

/// How the sandbox's writes and lookups grow with the fleet: `launchq-bench sandbox [--state] [N ...]` (default
/// 1000 5000 10000). For each N, a fresh in-process sandbox (in memory; with `--state`, also one keeping a state
/// file in a temporary directory) gets N `upsertRunQueue` creates in N / 100 teams, 4 at a time (the client's
/// default concurrency), then N / 10 single-queue lookups (`project { runQueue(name:) }`, 4 at a time). Prints the
/// wall time of each, the time per request and the process's CPU time (client and sandbox, user + system: steadier
/// than wall time on a shared machine); a cost that does not grow with the fleet keeps its per-request figures flat.
/// The last line per run, `SANDBOX key=value ...`, is for scripts.
enum SandboxBenchmark {
    static func run(arguments: [String]) async throws {
        let withState = arguments.contains("--state")
        let sizes = arguments.compactMap { Int($0) }
        print("== Sandbox writes and lookups (\(withState ? "in memory, then with a state file" : "in memory")) ==")
        #if DEBUG
            print("(debug build: the sandbox unoptimised)")
        #endif
        for size in sizes.isEmpty ? [1000, 5000, 10000] : sizes {
            try await measure(queues: size, statePath: nil)
            if withState {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-bench-sandbox-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                try await measure(queues: size, statePath: directory.appendingPathComponent("state.json").path)
            }
        }
    }

    private static func measure(queues: Int, statePath: String?) async throws {
        var sandboxLogger = Logger(label: "launchq-bench.sandbox")
        sandboxLogger.logLevel = .error
        let key = String((0..<40).map { _ in Array("abcdefghijklmnopqrstuvwxyz0123456789").randomElement()! })
        var configuration = SandboxConfiguration(adminAPIKey: key)
        configuration.statePath = statePath
        let server = try await SandboxServer.start(configuration, logger: sandboxLogger)
        do {
            var clientConfiguration = try WandbClient.Configuration(baseURL: server.baseURL, apiKey: WandbAPIKey(key))
            clientConfiguration.deadline = .seconds(1800)
            var logger = Logger(label: "launchq-bench.sandbox-client")
            logger.logLevel = .error
            let client = WandbClient(configuration: clientConfiguration, logger: logger)
            let teams = (0..<max(1, queues / 100)).map { "bench-team-\($0)" }
            for team in teams {
                _ = try await client.createTeam(name: team)
                try await client.ensureLaunchProject(entity: team)
            }
            let definitions = (0..<queues).map { index in
                RunQueueDefinition(
                    entity: teams[index % teams.count], name: "queue-\(index)", resourceType: "kubernetes",
                    config: ["metadata": ["name": "{{job}}", "namespace": "ml"]],
                    templateVariables: ["job": TemplateVariableDefinition(description: "job name", schema: ["type": "string", "default": "train"])])
            }
            let clock = ContinuousClock()
            let started = clock.now
            let cpuStarted = cpuTime()
            try await fourAtATime(definitions) { _ = try await client.upsertRunQueue($0) }
            let writes = clock.now - started
            let writesCPU = cpuTime() - cpuStarted

            let lookups = Array(definitions.prefix(max(1, queues / 10)))
            let lookupStarted = clock.now
            try await fourAtATime(lookups) { definition in
                let count = try await client.runQueueItemCount(entity: definition.entity, queue: definition.name)
                try ReconcileBenchmark.check(count == 0, "queue \(definition.entity)/\(definition.name) not found")
            }
            let reads = clock.now - lookupStarted
            try await server.stop()

            let mode = statePath == nil ? "memory" : "state-file"
            print("\(queues) queues in \(teams.count) teams (\(mode)): \(queues) creates \(ReconcileBenchmark.format(writes)) "
                + "(\(perRequest(writes, queues)) each, CPU \(perRequest(writesCPU, queues)) each), \(lookups.count) lookups "
                + "\(ReconcileBenchmark.format(reads)) (\(perRequest(reads, lookups.count)) each)")
            print("SANDBOX queues=\(queues) mode=\(mode) create_ms=\(milliseconds(writes)) create_cpu_ms=\(milliseconds(writesCPU)) "
                + "lookups=\(lookups.count) lookup_ms=\(milliseconds(reads))")
        } catch {
            try? await server.stop()
            throw error
        }
    }

    private static func fourAtATime<Element: Sendable>(_ elements: [Element], _ body: @escaping @Sendable (Element) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = elements[...]
            for _ in 0..<4 {
                guard let next = pending.popFirst() else { break }
                group.addTask { try await body(next) }
            }
            while try await group.next() != nil {
                guard let next = pending.popFirst() else { continue }
                group.addTask { try await body(next) }
            }
        }
    }

    /// User + system CPU time of this process so far.
    private static func cpuTime() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let microseconds = Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        return .microseconds(microseconds)
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(Int((ReconcileBenchmark.seconds(duration) * 1000).rounded()))
    }

    private static func perRequest(_ duration: Duration, _ count: Int) -> String {
        let microseconds = ReconcileBenchmark.seconds(duration) * 1_000_000 / Double(max(count, 1))
        return microseconds >= 1000 ? "\((microseconds / 100).rounded() / 10) ms" : "\(Int(microseconds.rounded())) µs"
    }
}
