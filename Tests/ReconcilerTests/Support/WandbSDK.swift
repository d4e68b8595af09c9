import JSON
import TestSupport
import Declarations
import Foundation
import Testing

/// The official wandb SDK (0.31.0) in the venv made by `scripts/wandb-venv`, driving `SDK/sdk_queues.py`.
///
/// Found through `LAUNCHQ_WANDB_PYTHON` or `.venv-wandb/bin/python`. Locally a missing venv skips the tests
/// that need it (with the reason shown); under `CI=true` the venv is created and, failing that, they fail.
enum WandbSDK {
    /// A queue as the SDK's `RunQueue` reads it.
    struct Queue: Decodable, Sendable {
        struct TemplateVariable: Decodable, Sendable {
            var name: String
            /// JSON text, as W&B serves `TemplateVariable.schema` (decoding fails when it is not a string).
            var schema: String
        }

        var id: String
        var type: String
        var prioritization_mode: String
        var access: String
        var external_links: JSONValue?
        var default_resource_config: JSONValue
        var template_variables: [TemplateVariable]
    }

    /// Reads queues through `api.run_queue(entity, name)`; `nil` for a queue that does not exist.
    static func readQueues(_ queues: [(entity: String, name: String)], baseURL: String, apiKey: String) async throws -> [String: Queue?] {
        let argument: JSONValue = .object(["queues": .array(queues.map { .array([.string($0.entity), .string($0.name)]) })])
        let data = try await run("read", argument, baseURL: baseURL, apiKey: apiKey)
        return try JSONDecoder().decode([String: Queue?].self, from: data)
    }

    /// `api.upsert_run_queue(**arguments)`; returns the queue's id.
    @discardableResult
    static func upsertRunQueue(_ arguments: [String: JSONValue], baseURL: String, apiKey: String) async throws -> String {
        let data = try await run("upsert", .object(arguments), baseURL: baseURL, apiKey: apiKey)
        return try JSONDecoder().decode([String: String].self, from: data)["id"] ?? ""
    }

    /// Enqueues `count` runs on a queue with `wandb.sdk.launch.launch_add` (as `wandb launch` does); returns the item ids.
    @discardableResult
    static func launchAdd(entity: String, queue: String, count: Int, baseURL: String, apiKey: String) async throws -> [String] {
        let argument: JSONValue = .object(["entity": .string(entity), "queue": .string(queue), "count": .integer(count)])
        let data = try await run("push", argument, baseURL: baseURL, apiKey: apiKey)
        return try JSONDecoder().decode([String: [String]].self, from: data)["ids"] ?? []
    }

    /// The item ids `RunQueue.items` reads for each queue; `nil` for a queue that does not exist.
    static func items(_ queues: [(entity: String, name: String)], baseURL: String, apiKey: String) async throws -> [String: [String]?] {
        let argument: JSONValue = .object(["queues": .array(queues.map { .array([.string($0.entity), .string($0.name)]) })])
        let data = try await run("items", argument, baseURL: baseURL, apiKey: apiKey)
        return try JSONDecoder().decode([String: [String]?].self, from: data)
    }

    /// Runs `SDK/<script> COMMAND` (default `sdk_queues.py`) with `argument` on standard input; returns the JSON after `RESULT `.
    static func run(
        _ command: String, _ argument: JSONValue, baseURL: String, apiKey: String, script: String = "sdk_queues.py"
    ) async throws -> Data {
        try await WandbSDKVenv.require()
        let home = try Repository.temporaryFolder("launchq-sdk")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = Repository.environment.filter { !$0.key.hasPrefix("WANDB_") }
        environment["WANDB_BASE_URL"] = baseURL
        environment["WANDB_API_KEY"] = apiKey
        environment["WANDB_X_GRAPHQL_RETRY_MAX"] = "1"
        environment["WANDB_ERROR_REPORTING"] = "false"
        environment["WANDB_SILENT"] = "true"
        environment["HOME"] = home.path
        environment["WANDB_DIR"] = home.path
        environment["WANDB_CONFIG_DIR"] = home.path
        environment["PYTHONUNBUFFERED"] = "1"
        let result = try await ChildProcess.run(
            WandbSDKVenv.pythonPath, arguments: [Repository.path("Tests/ReconcilerTests/SDK/" + script), command], environment: environment,
            workingDirectory: home.path, input: try JSONEncoder().encode(argument), timeout: .seconds(240))
        let line = result.output.split(separator: "\n").last { $0.hasPrefix("RESULT ") }
        guard result.status == 0, let line else {
            throw SDKError(message: "\(script) \(command) exited \(result.status):\n\(result.both)")
        }
        return Data(line.dropFirst("RESULT ".count).utf8)
    }

    struct SDKError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
