import JSON
import Logging
import WandbAPI
import WandbModel
import WandbSandbox

/// What batched reads cost: round trips and wall time for reading many queues from the sandbox
/// over loopback HTTP. `swift run -c release launchq-bench client`.
enum ClientBenchmark {
    static func run() async throws {
        var sandboxLogger = Logger(label: "launchq-bench.sandbox")
        sandboxLogger.logLevel = .error
        let key = String((0..<40).map { _ in Array("abcdefghijklmnopqrstuvwxyz0123456789").randomElement()! })
        let server = try await SandboxServer.start(SandboxConfiguration(adminAPIKey: key), logger: sandboxLogger)
        do {
            try await measure(server: server, key: key)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    private static func measure(server: SandboxServer, key: String) async throws {
        print("== W&B client: batched reads against the sandbox (\(server.baseURL)) ==")
        let writer = try client(server: server, key: key, batchSize: 25)
        let scenarios = [(entities: 10, queuesEach: 100), (entities: 100, queuesEach: 10)]
        for scenario in scenarios {
            let names = (0..<scenario.entities).map { "bench-\(scenario.entities)-\($0)" }
            let clock = ContinuousClock()
            let started = clock.now
            try await seed(writer, entities: names, queuesEach: scenario.queuesEach)
            print("seeded \(scenario.entities * scenario.queuesEach) queues in \(scenario.entities) entities "
                + "with upsertRunQueue in \(format(clock.now - started))")

            for batchSize in [25, 10, 1] {
                var times: [Duration] = []
                var requests = 0
                var served = 0
                var queues = 0
                for _ in 0..<7 {
                    let reader = try client(server: server, key: key, batchSize: batchSize)
                    await server.resetCounters()
                    let readStarted = clock.now
                    let read = try await reader.runQueues(inEntities: names)
                    times.append(clock.now - readStarted)
                    queues = read.values.reduce(0) { $0 + $1.count }
                    requests = reader.stats.snapshot.requests
                    served = await server.counters().total
                }
                times.sort()
                print("read \(queues) queues in \(scenario.entities) entities, batch \(batchSize): "
                    + "\(requests) requests (sandbox counted \(served)), "
                    + "wall median \(format(times[times.count / 2])), min \(format(times[0])) over \(times.count) runs")
            }
        }
    }

    private static func client(server: SandboxServer, key: String, batchSize: Int) throws -> WandbClient {
        var configuration = try WandbClient.Configuration(baseURL: server.baseURL, apiKey: WandbAPIKey(key))
        configuration.batchSize = batchSize
        var logger = Logger(label: "launchq-bench.client")
        logger.logLevel = .error
        return WandbClient(configuration: configuration, logger: logger)
    }

    /// Teams with `queuesEach` kubernetes queues each, written 8 at a time.
    private static func seed(_ client: WandbClient, entities: [String], queuesEach: Int) async throws {
        for entity in entities { _ = try await client.createTeam(name: entity) }
        let definitions = entities.flatMap { entity in
            (0..<queuesEach).map { index in
                RunQueueDefinition(
                    entity: entity, name: "queue-\(index)", resourceType: "kubernetes",
                    config: [
                        "metadata": ["name": "{{job}}", "namespace": "ml"],
                        "spec": ["template": ["spec": ["containers": [["resources": ["limits": ["nvidia.com/gpu": "{{gpus}}"]]]]]]],
                    ],
                    templateVariables: [
                        "job": TemplateVariableDefinition(description: "job name", schema: ["type": "string", "default": "train"]),
                        "gpus": TemplateVariableDefinition(schema: ["type": "integer", "minimum": 1, "maximum": 8, "default": 1]),
                    ],
                    prioritizationMode: index % 2 == 0 ? .v0 : .disabled
                )
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = definitions[...]
            for _ in 0..<8 {
                guard let next = pending.popFirst() else { break }
                group.addTask { _ = try await client.upsertRunQueue(next) }
            }
            while try await group.next() != nil {
                guard let next = pending.popFirst() else { continue }
                group.addTask { _ = try await client.upsertRunQueue(next) }
            }
        }
    }

    private static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return milliseconds >= 1000
            ? "\((milliseconds / 10).rounded() / 100) s"
            : "\((milliseconds * 10).rounded() / 10) ms"
    }
}
