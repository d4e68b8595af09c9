import Declarations
import Foundation
import Logging
import Planning
import Reconciler
import WandbAPI
import WandbSandbox

/// How validation and reconciliation grow with the fleet: `launchq-bench growth DIR [SDK.json]` loads the fleet
/// `bench/fleet --dir DIR` wrote (one YAML file per team), and prints validate time (best of 3), launchq's first apply
/// against an empty in-process sandbox (time, requests, mutations), its no-op plan (median of 3: time, requests —
/// checked against ⌈entities / batch⌉ + ⌈users / batch⌉ — and mutations, which must be 0), and, given the SDK script's
/// input (`bench/fleet --sdk`) and the venv, the plain `wandb` script's no-op over the same queues. The last line,
/// `GROWTH reconcile key=value ...`, is read by `bench/run-all`'s growth table.
enum GrowthBenchmark {
    static func run(arguments: [String]) async throws {
        guard let directory = arguments.first else {
            throw ReconcileBenchmark.BenchmarkError(message: "usage: launchq-bench growth DIR [SDK.json] (bench/fleet --dir DIR / --sdk)")
        }
        let sdkInput = arguments.count > 1 ? try Data(contentsOf: URL(fileURLWithPath: arguments[1])) : nil
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted().map {
            (name: $0, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent($0))))
        }

        // Validate: load and validate every file as `launchq validate` does, best of 3.
        var validateTimes: [Duration] = []
        var declarations: [Declaration] = []
        for _ in 0..<3 {
            let started = ContinuousClock.now
            let report = DeclarationsBenchmark.validate(files)
            validateTimes.append(ContinuousClock.now - started)
            try ReconcileBenchmark.check(report.isValid(strict: false), "the fleet is invalid: \(report.diagnostics.prefix(3))")
            declarations = report.declarations
        }
        let queues = declarations.filter { $0.kind == .runQueue }.count
        let teams = declarations.filter { $0.kind == .team }.count
        let users = declarations.filter { $0.kind == .user }.count
        let bytes = files.reduce(0) { $0 + $1.bytes.count }
        let validate = validateTimes.min()!
        print("== Growth: \(queues) queues in \(teams) teams (\(users) users, \(files.count) files, \(bytes / 1024) KiB of YAML) ==")
        #if DEBUG
            print("(debug build: launchq and the sandbox unoptimised)")
        #endif
        print("validate (load + validate, best of 3):  \(ReconcileBenchmark.format(validate))")

        var sandboxLogger = Logger(label: "launchq-bench.sandbox")
        sandboxLogger.logLevel = .error
        let key = String((0..<40).map { _ in Array("abcdefghijklmnopqrstuvwxyz0123456789").randomElement()! })
        let server = try await SandboxServer.start(SandboxConfiguration(adminAPIKey: key), logger: sandboxLogger)
        do {
            var fields = try await reconcile(declarations, server: server, key: key, queues: queues, teams: teams, users: users)
            fields = ["queues": "\(queues)", "entities": "\(teams)", "validate_ms": milliseconds(validate)].merging(fields) { $1 }
            if let sdkInput { fields.merge(try await script(sdkInput, server: server, key: key, queues: queues, launchqNoop: fields)) { $1 } }
            try await server.stop()
            print("GROWTH reconcile " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// First apply and no-op plan; returns their `GROWTH` fields.
    private static func reconcile(_ declarations: [Declaration], server: SandboxServer, key: String, queues: Int, teams: Int, users: Int)
        async throws -> [String: String]
    {
        let reconciliation = try ReconcileBenchmark.reconciliation(server: server, key: key, deadline: .seconds(1800), label: "launchq-bench.growth")

        let first = try await ReconcileBenchmark.phase(server) {
            let (plan, observed) = try await reconciliation.plan(declarations)
            let rounds = try await reconciliation.run(declarations, first: plan, observed: observed)
            try ReconcileBenchmark.check(rounds.last!.report.failed == 0, "the first apply failed: \(rounds.last!.report.outcomes.filter { !$0.value.succeeded }.prefix(3))")
            return "\(plan.count(.create)) creates in \(rounds.count) round(s)"
        }
        print("launchq first apply:  \(first.figure.requests) requests (\(first.figure.mutations) mutations), \(ReconcileBenchmark.format(first.figure.wall)) [\(first.note)]")

        var noops: [(figure: ReconcileBenchmark.Figure, note: String)] = []
        for _ in 0..<3 {
            noops.append(try await ReconcileBenchmark.phase(server) {
                let clock = ContinuousClock()
                let started = clock.now
                let observed = try await reconciliation.observer.observe(declarations)
                let read = clock.now
                let plan = reconciliation.planner.plan(declarations, observed: observed)
                try ReconcileBenchmark.check(!plan.hasChanges, "the no-op plan has changes: \(plan.summary)")
                return "observe \(ReconcileBenchmark.format(read - started)), plan \(ReconcileBenchmark.format(clock.now - read))"
            })
        }
        // Nothing ran since the last no-op plan: the sandbox's counters are still its requests, by operation.
        let byOperation = await server.counters().requestsByOperation.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        noops.sort { $0.figure.wall < $1.figure.wall }
        let noop = noops[noops.count / 2]
        let batch = reconciliation.observer.client.configuration.batchSize
        let bound = (teams + batch - 1) / batch + (users + batch - 1) / batch
        let mutations = noops.map(\.figure.mutations).max()!
        let requests = noops.map(\.figure.requests).max()!
        let met = requests <= bound && mutations == 0
        print("launchq no-op plan:   \(requests) requests (\(mutations) mutations), \(ReconcileBenchmark.format(noop.figure.wall)) median of 3 "
            + "(fastest \(ReconcileBenchmark.format(noops.first!.figure.wall)), slowest \(ReconcileBenchmark.format(noops.last!.figure.wall))) [\(noop.note)]")
        print("  requests by operation: \(byOperation.joined(separator: ", "))")
        print("  bound: <= ceil(\(teams) entities / \(batch)) + ceil(\(users) user lookups / \(batch)) = \(bound) requests, 0 mutations: \(met ? "met" : "MISSED")")
        return [
            "first_ms": milliseconds(first.figure.wall), "first_requests": "\(first.figure.requests)", "first_mutations": "\(first.figure.mutations)",
            "noop_ms": milliseconds(noop.figure.wall), "noop_requests": "\(requests)", "noop_mutations": "\(mutations)",
            "noop_bound": "\(bound)", "noop_bound_met": met ? "yes" : "no",
        ]
    }

    /// The plain `wandb` script's no-op over the queues launchq created (it must find every one unchanged).
    private static func script(_ input: Data, server: SandboxServer, key: String, queues: Int, launchqNoop: [String: String]) async throws
        -> [String: String]
    {
        guard let python = ReconcileBenchmark.SDKScript.python else {
            print("wandb SDK script: skipped (no venv: run scripts/wandb-venv or set LAUNCHQ_WANDB_PYTHON)")
            return [:]
        }
        let result = try await ReconcileBenchmark.SDKScript.run(python, input: input, server: server, key: key)
        try ReconcileBenchmark.check(result.result.unchanged == queues && result.result.created == 0 && result.result.updated == 0,
            "the SDK script's no-op changed something: \(result.note)")
        let ratio = ReconcileBenchmark.seconds(result.figure.wall) / max(Double(launchqNoop["noop_ms"].flatMap(Double.init) ?? 0) / 1000, 1e-9)
        print("wandb 0.31.0 script no-op: \(result.figure.requests) requests (\(result.figure.mutations) mutations), "
            + "\(ReconcileBenchmark.format(result.figure.wall)) [\(result.note)]; launchq is \(String(format: "%.1f", ratio))x faster (target >= 10x: \(ratio >= 10 ? "met" : "MISSED"))")
        return ["sdk_noop_ms": milliseconds(result.figure.wall), "sdk_noop_requests": "\(result.figure.requests)", "sdk_noop_mutations": "\(result.figure.mutations)"]
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", ReconcileBenchmark.seconds(duration) * 1000)
    }
}
