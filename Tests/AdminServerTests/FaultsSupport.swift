import JSON
import TestSupport
import Declarations
import Foundation
import Logging
import PostgresCluster
import Store
import Testing

/// What the fault, hostile-input and secrets suites share: their own throwaway PostgreSQL, the official wandb SDK
/// (listing an entity's queues, so duplicates show), and admin API calls.
enum FaultsSupport {
    /// Locally the suites need the PostgreSQL server binaries (they start their own cluster) and the SDK venv; on CI
    /// they always run (and fail without them).
    static var shouldRun: Bool { (TestDatabase.hasServerBinaries && WandbSDKVenv.exists) || Repository.isCI }
    static let skipReason: Comment = "needs the PostgreSQL server binaries and the wandb SDK venv (scripts/wandb-venv)"

    static var quietLogger: Logger {
        var logger = Logger(label: "launchq.faults.tests")
        logger.logLevel = .error
        return logger
    }

    /// A cluster of its own (other suites' database is untouched), migrated, stopped and deleted after `body`.
    /// Holds one of the ``TestSlots`` meanwhile.
    static func withOwnPostgres<T: Sendable>(
        _ body: @Sendable (ThrowawayPostgres, PostgresStore, DatabaseConfiguration) async throws -> T
    ) async throws -> T {
        try await TestSlots.run { try await withOwnPostgresHoldingSlot(body) }
    }

    private static func withOwnPostgresHoldingSlot<T: Sendable>(
        _ body: @Sendable (ThrowawayPostgres, PostgresStore, DatabaseConfiguration) async throws -> T
    ) async throws -> T {
        let cluster = try await ThrowawayPostgres.start()
        do {
            var configuration = try DatabaseConfiguration(url: cluster.url)
            configuration.pool.connectTimeout = .seconds(2)
            let database = configuration
            let result = try await PostgresStore.withStore(database, logger: quietLogger) { store in
                try await store.migrator.migrate()
                return try await body(cluster, store, database)
            }
            await cluster.stopAndRemove()
            return result
        } catch {
            await cluster.stopAndRemove()
            throw error
        }
    }

    // MARK: The wandb SDK

    /// A queue as the SDK reads it.
    struct SDKQueue: Decodable, Sendable, Equatable {
        var id: String
        var name: String
        var type: String
        var config: JSONValue?
        var variables: JSONValue?
    }

    /// Every queue of each entity, through the official SDK: the project's `runQueues` with
    /// `Api._service_api.execute_graphql`, then each one read with `api.run_queue(entity, name)`.
    static func sdkQueues(entities: [String], baseURL: String, apiKey: String) async throws -> [String: [SDKQueue]] {
        // Locally the suites are skipped without the venv; on CI it is made here, and failing that the test fails.
        try await WandbSDKVenv.require()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-faults-sdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("list_queues.py")
        try Data(listQueuesScript.utf8).write(to: script)
        var environment = Repository.environment.filter { !$0.key.hasPrefix("WANDB_") }
        environment["WANDB_BASE_URL"] = baseURL
        environment["WANDB_API_KEY"] = apiKey
        environment["WANDB_ERROR_REPORTING"] = "false"
        environment["WANDB_SILENT"] = "true"
        environment["HOME"] = home.path
        environment["WANDB_DIR"] = home.path
        environment["WANDB_CONFIG_DIR"] = home.path
        let input = try JSONEncoder().encode(["entities": entities])
        let result = try await ChildProcess.run(
            WandbSDKVenv.pythonPath, arguments: [script.path], environment: environment, workingDirectory: home.path, input: input, timeout: .seconds(240))
        let line = result.output.split(separator: "\n").last { $0.hasPrefix("RESULT ") }
        let found = try #require(result.status == 0 ? line : nil, "the SDK could not list queues:\n\(result.both.suffix(3000))")
        return try JSONDecoder().decode([String: [SDKQueue]].self, from: Data(found.dropFirst("RESULT ".count).utf8))
    }

    static let listQueuesScript = #"""
        import json, os, sys
        import wandb

        api = wandb.Api(overrides={"base_url": os.environ["WANDB_BASE_URL"]}, api_key=os.environ["WANDB_API_KEY"], timeout=30)
        QUERY = 'query Queues($entity: String!) { project(name: "model-registry", entityName: $entity) { runQueues { id name } } }'
        result = {}
        for entity in json.load(sys.stdin)["entities"]:
            data = api._service_api.execute_graphql(QUERY, {"entity": entity})
            project = data.get("project") or {}
            queues = []
            for item in project.get("runQueues") or []:
                queue = api.run_queue(entity, item["name"])
                queues.append({"id": item["id"], "name": item["name"], "type": queue.type,
                               "config": queue.default_resource_config, "variables": queue.template_variables})
            result[entity] = queues
        print("RESULT " + json.dumps(result, sort_keys=True))
        """#
}
