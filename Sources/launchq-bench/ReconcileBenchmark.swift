import Declarations
import Dispatch
import Foundation
import JSON
import Logging
import Planning
import Reconciler
import WandbAPI
import WandbSandbox

/// What a reconciliation costs: requests and wall time of launchq's first apply, a no-op plan and an apply changing
/// 10% of the queues — 1,000 queues in 10 teams with their users, members and projects — against the sandbox on
/// loopback; then the same work by a plain `wandb==0.31.0` script (`Tests/ReconcilerTests/SDK/sdk_bench.py`: one
/// `api.run_queue` read per queue, `api.upsert_run_queue` when it differs) against the same sandbox, in its own
/// teams. `swift run launchq-bench reconcile`; the SDK needs `scripts/wandb-venv` (or `LAUNCHQ_WANDB_PYTHON`).
enum ReconcileBenchmark {
    static let teams = 10
    static let queuesPerTeam = 100

    /// Added per-request latency of each run: none (plain loopback), then 10 ms as a stand-in for a network between
    /// launchq and W&B. `LAUNCHQ_BENCH_LATENCIES=0,10,50` changes the list.
    static var latencies: [Int] {
        ProcessInfo.processInfo.environment["LAUNCHQ_BENCH_LATENCIES"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [0, 10]
    }

    static func run() async throws {
        var sandboxLogger = Logger(label: "launchq-bench.sandbox")
        sandboxLogger.logLevel = .error
        for latency in latencies {
            // A fresh sandbox for each run, so every first apply starts from an empty W&B.
            let key = String((0..<40).map { _ in Array("abcdefghijklmnopqrstuvwxyz0123456789").randomElement()! })
            var configuration = SandboxConfiguration(adminAPIKey: key)
            if latency > 0 { configuration.faults = FaultPlan(rules: [.init(effects: [.latency(milliseconds: latency)])]) }
            let server = try await SandboxServer.start(configuration, logger: sandboxLogger)
            do {
                try await measure(server: server, key: key, latency: latency)
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    /// One measured phase.
    struct Figure {
        var requests: Int
        var mutations: Int
        var wall: Duration
    }

    private static func measure(server: SandboxServer, key: String, latency: Int) async throws {
        print("== Reconcile: \(teams * queuesPerTeam) queues in \(teams) teams, 2 users each, a project each, against the sandbox (\(server.baseURL)), "
            + (latency == 0 ? "loopback, no added latency ==" : "\(latency) ms added to every request =="))
        #if DEBUG
            print("(debug build: launchq and the sandbox unoptimised)")
        #endif
        let reconciliation = try Self.reconciliation(server: server, key: key, deadline: .seconds(600), label: "launchq-bench.reconcile")

        let initial = try Workload(prefix: "lq", changed: false).declarations()
        let changed = try Workload(prefix: "lq", changed: true).declarations()
        let first = try await phase(server) {
            let (plan, observed) = try await reconciliation.plan(initial)
            let rounds = try await reconciliation.run(initial, first: plan, observed: observed)
            try check(rounds.last!.report.failed == 0, "the first apply failed: \(rounds.last!.report.outcomes.filter { !$0.value.succeeded })")
            return "\(plan.count(.create)) creates"
        }
        // The no-op plan is short, so it runs 5 times: the figure is the median run (the machine is shared).
        var noops: [(figure: Figure, note: String)] = []
        for _ in 0..<5 {
            noops.append(try await phase(server) {
                let clock = ContinuousClock()
                let started = clock.now
                let observed = try await reconciliation.observer.observe(initial)
                let read = clock.now
                let plan = reconciliation.planner.plan(initial, observed: observed)
                try check(!plan.hasChanges, "the second plan has changes:\n\(plan.text)")
                return "no changes; observe \(format(read - started)), plan \(format(clock.now - read))"
            })
        }
        noops.sort { $0.figure.wall < $1.figure.wall }
        var noop = noops[noops.count / 2]
        noop.note += "; median of \(noops.count), fastest \(format(noops[0].figure.wall)), slowest \(format(noops[noops.count - 1].figure.wall))"
        try check(noops.allSatisfy { $0.figure.requests == noop.figure.requests && $0.figure.mutations == 0 }, "no-op plans differ in requests")
        let change = try await phase(server) {
            let (plan, observed) = try await reconciliation.plan(changed)
            let rounds = try await reconciliation.run(changed, first: plan, observed: observed)
            try check(rounds.last!.report.failed == 0 && plan.count(.update) == teams * queuesPerTeam / 10, "the changing apply: \(plan.summary)")
            return "\(plan.count(.update)) updates"
        }
        let queues = teams * queuesPerTeam
        print("launchq first apply:     \(first.figure.requests) requests (\(first.figure.mutations) mutations), \(format(first.figure.wall)) [\(first.note)]")
        print("launchq no-op plan:      \(noop.figure.requests) requests (\(noop.figure.mutations) mutations), \(format(noop.figure.wall)) "
            + "= 1 request per \(queues / max(1, noop.figure.requests)) queues [target: <= 1 per 50, no mutation: "
            + "\(noop.figure.requests * 50 <= queues && noop.figure.mutations == 0 ? "met" : "MISSED")] [\(noop.note)]")
        print("launchq 10% apply:       \(change.figure.requests) requests (\(change.figure.mutations) mutations), \(format(change.figure.wall)) [\(change.note)]")

        guard let python = SDKScript.python else {
            print("wandb SDK script: skipped (no venv: run scripts/wandb-venv or set LAUNCHQ_WANDB_PYTHON)")
            return
        }
        let sdkInitial = Workload(prefix: "py", changed: false)
        let sdkChanged = Workload(prefix: "py", changed: true)
        let script = try await SDKScript.run(python, workload: sdkInitial, server: server, key: key)
        let scriptNoop = try await SDKScript.run(python, workload: sdkInitial, server: server, key: key)
        let scriptChange = try await SDKScript.run(python, workload: sdkChanged, server: server, key: key)
        print("wandb 0.31.0 script first apply: \(script.figure.requests) requests (\(script.figure.mutations) mutations), \(format(script.figure.wall)) [\(script.note)]")
        print("wandb 0.31.0 script no-op:       \(scriptNoop.figure.requests) requests (\(scriptNoop.figure.mutations) mutations), \(format(scriptNoop.figure.wall)) [\(scriptNoop.note)]")
        print("wandb 0.31.0 script 10% change:  \(scriptChange.figure.requests) requests (\(scriptChange.figure.mutations) mutations), \(format(scriptChange.figure.wall)) [\(scriptChange.note)]")
        let noopRatio = seconds(scriptNoop.figure.wall) / max(seconds(noop.figure.wall), 1e-9)
        let changeRatio = seconds(scriptChange.figure.wall) / max(seconds(change.figure.wall), 1e-9)
        print("launchq is faster than the script by: first apply \(ratio(script.figure.wall, first.figure.wall))x, "
            + "no-op \(ratio(scriptNoop.figure.wall, noop.figure.wall))x (target >= 10x: \(noopRatio >= 10 ? "met" : "MISSED")), "
            + "10% change \(ratio(scriptChange.figure.wall, change.figure.wall))x (target >= 3x: \(changeRatio >= 3 ? "met" : "MISSED"))")
        print("requests, script vs launchq: first apply \(script.figure.requests) vs \(first.figure.requests), "
            + "no-op \(scriptNoop.figure.requests) vs \(noop.figure.requests), 10% change \(scriptChange.figure.requests) vs \(change.figure.requests)")
        print("(script times exclude the Python interpreter's start and wandb.Api()'s login, which the script does before its clock starts)")
    }

    static func phase(_ server: SandboxServer, _ body: () async throws -> String) async throws -> (figure: Figure, note: String) {
        await server.resetCounters()
        let clock = ContinuousClock()
        let started = clock.now
        let note = try await body()
        let wall = clock.now - started
        let counters = await server.counters()
        return (Figure(requests: counters.total, mutations: counters.mutations, wall: wall), note)
    }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw BenchmarkError(message: message()) }
    }

    /// The reconcile pipeline (three rounds at most) over a client of the sandbox at `server` that logs errors only.
    static func reconciliation(server: SandboxServer, key: String, deadline: Duration, label: String) throws -> Reconciliation {
        var clientConfiguration = try WandbClient.Configuration(baseURL: server.baseURL, apiKey: WandbAPIKey(key))
        clientConfiguration.deadline = deadline
        var logger = Logger(label: label)
        logger.logLevel = .error
        let client = WandbClient(configuration: clientConfiguration, logger: logger)
        return Reconciliation(observer: Observer(client: client), planner: Planner(), executor: Executor(client: client, logger: logger), maxRounds: 3)
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func ratio(_ slow: Duration, _ fast: Duration) -> String {
        let value = seconds(slow) / max(seconds(fast), 1e-9)
        return value >= 10 ? "\(Int(value.rounded()))" : "\((value * 10).rounded() / 10)"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = seconds(duration) * 1000
        return milliseconds >= 1000 ? "\((milliseconds / 10).rounded() / 100) s" : "\((milliseconds * 10).rounded() / 10) ms"
    }
}

extension ReconcileBenchmark {
    /// The desired state: `teams` teams named `<prefix>-team-<i>`, each with a lead (its admin) and a developer, a
    /// project and `queuesPerTeam` kubernetes queues; `changed` edits the config of every tenth queue.
    struct Workload {
        let prefix: String
        let changed: Bool

        typealias JSON = JSONValue

        var teamNames: [String] { (0..<teams).map { "\(prefix)-team-\($0)" } }
        func lead(_ team: String) -> String { "\(team)-lead@example.com" }
        func developer(_ team: String) -> String { "\(team)-dev@example.com" }

        /// A queue's fields as declared (and as the script's `upsert_run_queue` arguments).
        func queue(team: String, index: Int) -> [String: JSON] {
            let namespace: JSON = .string(changed && index % 10 == 0 ? "training-v2" : "training")
            let limits: JSON = .object(["nvidia.com/gpu": "{{gpus}}", "memory": "{{memory_gib}}Gi"])
            let container: JSON = .object(["name": "main", "resources": .object(["limits": limits])])
            return [
                "entity": .string(team), "name": .string("queue-\(index)"), "resource_type": "kubernetes",
                "prioritization_mode": index % 2 == 0 ? "V0" : "DISABLED",
                "resource_config": .object([
                    "metadata": .object(["namespace": namespace, "labels": .object(["team": .string(team)])]),
                    "spec": .object([
                        "backoffLimit": 0,
                        "template": .object(["spec": .object(["restartPolicy": "Never", "containers": [container]])]),
                    ]),
                ]),
                "template_variables": .object([
                    "gpus": .object([
                        "description": "GPUs per job", "schema": .object(["type": "integer", "default": 1, "minimum": 1, "maximum": 8]),
                    ]),
                    "memory_gib": .object(["schema": .object(["type": "integer", "default": 64, "minimum": 8, "maximum": 512])]),
                ]),
                "external_links": .object(["Dashboard": .string("https://grafana.example.com/d/\(team)/queue-\(index)")]),
            ]
        }

        /// Every declaration as a JSON document.
        func documents() -> [JSON] {
            var documents: [JSON] = []
            for team in teamNames {
                for email in [lead(team), developer(team)] {
                    documents.append(.object(["apiVersion": "launchq/v1", "kind": "User", "email": .string(email)]))
                }
                documents.append(.object([
                    "apiVersion": "launchq/v1", "kind": "Team", "name": .string(team), "admin": .string(lead(team)),
                    "members": [.object(["user": .string(developer(team)), "role": "member"])],
                ]))
                documents.append(.object([
                    "apiVersion": "launchq/v1", "kind": "Project", "entity": .string(team), "name": "experiments",
                    "description": "Benchmark runs",
                ]))
                for index in 0..<queuesPerTeam {
                    documents.append(.object(queue(team: team, index: index).merging(["apiVersion": "launchq/v1", "kind": "RunQueue"]) { $1 }))
                }
            }
            return documents
        }

        /// The declarations, loaded and validated as `launchq apply` would.
        func declarations() throws -> [Declaration] {
            var load = LoadResult()
            for (index, document) in documents().enumerated() {
                DeclarationLoader().load(contents: CanonicalJSON.bytes(document), file: "bench-\(index).json", into: &load)
            }
            let report = Validator().validate(load)
            try check(report.isValid(strict: false), "the benchmark's declarations are invalid: \(report.diagnostics.prefix(3))")
            return report.declarations
        }

        /// The same desired state for `sdk_bench.py`.
        func scriptInput() throws -> Data {
            var users: [JSON] = []
            var teamsJSON: [JSON] = []
            var projects: [JSON] = []
            var queues: [JSON] = []
            for team in teamNames {
                users.append(.object(["email": .string(lead(team)), "admin": false]))
                users.append(.object(["email": .string(developer(team)), "admin": false]))
                teamsJSON.append(.object(["name": .string(team), "admin": .string(lead(team)), "members": [.string(developer(team))]]))
                projects.append(.object(["entity": .string(team), "name": "experiments", "description": "Benchmark runs"]))
                for index in 0..<queuesPerTeam { queues.append(.object(queue(team: team, index: index))) }
            }
            let input: JSON = .object(["users": .array(users), "teams": .array(teamsJSON), "projects": .array(projects), "queues": .array(queues)])
            return Data(CanonicalJSON.bytes(input))
        }
    }

    /// `Tests/ReconcilerTests/SDK/sdk_bench.py` run with the venv's Python.
    enum SDKScript {
        static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()

        static var python: String? {
            let path = ProcessInfo.processInfo.environment["LAUNCHQ_WANDB_PYTHON"] ?? repositoryRoot.appendingPathComponent(".venv-wandb/bin/python").path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }

        /// Runs the script once; its figures are the sandbox's counters (reset by the script after login) and the
        /// time the script measured around its reconciliation.
        static func run(_ python: String, workload: Workload, server: SandboxServer, key: String) async throws -> (figure: Figure, note: String) {
            let run = try await run(python, input: try workload.scriptInput(), server: server, key: key)
            return (run.figure, run.note)
        }

        /// Runs the script once on `input` (the desired state as the script reads it, e.g. `bench/fleet --sdk`).
        static func run(_ python: String, input data: Data, server: SandboxServer, key: String) async throws
            -> (figure: Figure, note: String, result: ScriptResult)
        {
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-bench-sdk-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WANDB_") }
            environment["WANDB_BASE_URL"] = server.baseURL
            environment["WANDB_API_KEY"] = key
            environment["WANDB_ERROR_REPORTING"] = "false"
            environment["WANDB_SILENT"] = "true"
            for name in ["HOME", "WANDB_DIR", "WANDB_CONFIG_DIR"] { environment[name] = home.path }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [repositoryRoot.appendingPathComponent("Tests/ReconcilerTests/SDK/sdk_bench.py").path]
            process.environment = environment
            process.currentDirectoryURL = home
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // Blocking pipe I/O runs on Dispatch threads, never on the Swift concurrency pool the sandbox serves from.
            let text: String = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    DispatchQueue.global().async {
                        try? input.fileHandleForWriting.write(contentsOf: data)
                        try? input.fileHandleForWriting.close()
                    }
                    let bytes = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                }
            }
            let counters = await server.counters()
            guard process.terminationStatus == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else {
                throw BenchmarkError(message: "sdk_bench.py exited \(process.terminationStatus):\n\(text.suffix(3000))")
            }
            let result = try JSONDecoder().decode(ScriptResult.self, from: Data(line.dropFirst("RESULT ".count).utf8))
            return (
                Figure(requests: counters.total, mutations: counters.mutations, wall: .milliseconds(Int64(result.seconds * 1000))),
                "\(result.created) created, \(result.updated) updated, \(result.unchanged) queues unchanged", result
            )
        }

        struct ScriptResult: Decodable {
            var seconds: Double
            var created: Int
            var updated: Int
            var unchanged: Int
        }
    }
}
