import Declarations
import Foundation
import JSON
import Logging
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// A W&B sandbox on loopback for one test (TestSupport's ``TestSandbox``), a real ``WandbClient`` over HTTP to it,
/// and the reconciler's parts.
struct EndToEnd {
    let sandbox: TestSandbox
    let client: WandbClient

    var server: SandboxServer { sandbox.server }
    var adminKey: String { sandbox.adminKey }

    static var quietLogger: Logger {
        var logger = Logger(label: "launchq.reconciler-e2e")
        logger.logLevel = .error
        return logger
    }

    /// Starts a sandbox (with `faults`), runs `body`, stops the sandbox (also when `body` throws).
    static func with<T>(faults: FaultPlan = .none, _ body: (EndToEnd) async throws -> T) async throws -> T {
        try await TestSandbox.with(faults: faults) { sandbox in
            try await body(EndToEnd(sandbox: sandbox, client: try sandbox.client(logger: quietLogger)))
        }
    }

    /// The reconciler with the library's defaults unless told otherwise.
    func reconciliation(
        prune: Bool = false, drift: Policy.Drift = .correct, recorder: (any ApplyRecorder)? = nil, maxRounds: Int = 3
    ) -> Reconciliation {
        var planning = Planner.Configuration()
        planning.prune = prune
        planning.drift = drift
        return Reconciliation(
            observer: Observer(client: client), planner: Planner(configuration: planning),
            executor: Executor(client: client, logger: Self.quietLogger), recorder: recorder, maxRounds: maxRounds)
    }

    /// Plans against the sandbox and applies (as `launchq apply --auto-approve` does); returns every round.
    @discardableResult
    func apply(
        _ declarations: [Declaration], _ reconciliation: Reconciliation, lastApplied: @escaping @Sendable () async throws -> [String: String] = { [:] }
    ) async throws -> [Reconciliation.Round] {
        let (plan, observed) = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
        return try await reconciliation.run(declarations, first: plan, observed: observed, lastApplied: lastApplied)
    }

    /// Reads queues through the official SDK.
    func sdkQueues(_ queues: [(entity: String, name: String)]) async throws -> [String: WandbSDK.Queue?] {
        try await WandbSDK.readQueues(queues, baseURL: server.baseURL, apiKey: adminKey)
    }

    /// Enqueues `count` runs on `entity/queue` through the official SDK's `launch_add`; returns the item ids.
    @discardableResult
    func sdkLaunchAdd(entity: String, queue: String, count: Int) async throws -> [String] {
        try await WandbSDK.launchAdd(entity: entity, queue: queue, count: count, baseURL: server.baseURL, apiKey: adminKey)
    }

    /// The item ids the official SDK's `RunQueue.items` reads (`nil`: no such queue).
    func sdkItems(_ queues: [(entity: String, name: String)]) async throws -> [String: [String]?] {
        try await WandbSDK.items(queues, baseURL: server.baseURL, apiKey: adminKey)
    }

    /// `api.upsert_run_queue(**arguments)` through the official SDK.
    func sdkUpsert(_ arguments: [String: JSONValue]) async throws {
        try await WandbSDK.upsertRunQueue(arguments, baseURL: server.baseURL, apiKey: adminKey)
    }
}

/// Declarations for the tests: `examples/`, and generated sets.
enum Fixtures {
    /// `examples/` of the repository, validated.
    static func examples() throws -> [Declaration] {
        let report = Validator().validate(paths: [Repository.path("examples")])
        try #require(report.isValid(strict: false), "examples/ is invalid: \(report.diagnostics)")
        return report.declarations
    }

    /// Validates YAML text (documents separated by `---`).
    static func declarations(yaml: String, file: String = "generated.yaml") throws -> [Declaration] {
        var load = LoadResult()
        DeclarationLoader().load(contents: Array(yaml.utf8), file: file, into: &load)
        let report = Validator().validate(load)
        try #require(report.isValid(strict: false), "generated declarations are invalid: \(report.diagnostics.prefix(5))")
        return report.declarations
    }

    /// `teams` teams (`prefix-t<i>`, admin the first of two declared users each) with `queuesEach` queues each,
    /// of every resource type in turn, with template variables and links.
    static func generated(prefix: String, teams: Int, queuesEach: Int, revision: Int = 0) throws -> [Declaration] {
        var documents: [String] = []
        let types = ["kubernetes", "local-container", "local-process", "sagemaker", "gcp-vertex"]
        for team in 0..<teams {
            let name = "\(prefix)-t\(team)"
            documents.append("""
                apiVersion: launchq/v1
                kind: User
                email: \(name)-lead@example.com
                """)
            documents.append("""
                apiVersion: launchq/v1
                kind: User
                email: \(name)-dev@example.com
                """)
            documents.append("""
                apiVersion: launchq/v1
                kind: Team
                name: \(name)
                admin: \(name)-lead@example.com
                members:
                  - user: \(name)-dev@example.com
                    role: member
                """)
            for index in 0..<queuesEach {
                documents.append(queue(entity: name, name: "q\(index)", type: types[index % types.count], revision: revision))
            }
        }
        return try declarations(yaml: documents.joined(separator: "\n---\n"))
    }

    static func queue(entity: String, name: String, type: String, revision: Int) -> String {
        let config = switch type {
        case "kubernetes":
            "resource_config: {metadata: {namespace: ns-\(revision)}, spec: {template: {spec: {restartPolicy: Never, containers: [{name: main, resources: {limits: {nvidia.com/gpu: \"{{gpus}}\"}}}]}}}}"
        case "local-container": "resource_config: {gpus: \"{{gpus}}\", env: [REVISION=\(revision)]}"
        case "local-process": "resource_config: {builder: {accelerator: {base_image: \"image:\(revision)-{{gpus}}\"}}}"
        case "sagemaker":
            "resource_config: {RoleArn: \"arn:aws:iam::123456789012:role/r\(revision)\", ResourceConfig: {InstanceType: ml.g5.2xlarge, InstanceCount: \"{{gpus}}\", VolumeSizeInGB: 100}, "
                + "OutputDataConfig: {S3OutputPath: \"s3://bucket/out\"}, StoppingCondition: {MaxRuntimeInSeconds: 3600}}"
        default:
            "resource_config: {spec: {staging_bucket: \"gs://bucket-\(revision)\", worker_pool_specs: [{replica_count: 1, machine_spec: {machine_type: a2-highgpu-1g, accelerator_count: \"{{gpus}}\"}, container_spec: {image_uri: \"${image_uri}\"}}]}}"
        }
        return """
            apiVersion: launchq/v1
            kind: RunQueue
            entity: \(entity)
            name: \(name)
            resource_type: \(type)
            prioritization_mode: \(name.hasSuffix("0") ? "V0" : "DISABLED")
            \(config)
            template_variables:
              gpus:
                description: GPUs
                schema: {type: \(type == "local-container" ? "string" : "integer"), \(type == "local-container" ? "default: all" : "default: 1, minimum: 0, maximum: 8")}
            external_links:
              Docs: https://docs.example.com/\(entity)/\(name)
            """
    }

    /// Every queue of a set, as `(entity, name)`.
    static func queues(_ declarations: [Declaration]) -> [RunQueue] {
        declarations.compactMap { if case .runQueue(let queue) = $0.object { queue } else { nil } }
    }
}
