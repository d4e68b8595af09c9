import Declarations
import Foundation
import JSON
import Logging
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// `launchq import` end to end: hand-made queues on the sandbox W&B, imported, validated, and planned with no changes.
@Suite("Import: against the sandbox", .serialized)
struct ImportSandboxTests {
    /// Starts a sandbox (TestSupport's ``TestSandbox``), gives `body` a client, stops the sandbox.
    static func withSandbox<T>(_ body: (WandbClient) async throws -> T) async throws -> T {
        try await TestSandbox.with { sandbox in try await body(try sandbox.client()) }
    }

    /// Imports `entity` into a fresh folder the way the command does; returns the folder and the paths written.
    static func importEntity(_ entity: String, client: WandbClient) async throws -> (folder: String, written: [String]) {
        let observed = try await Observer(client: client).observe(ObservationScope(entities: [entity]))
        let files = try Importer().files(for: try #require(observed.entities[entity]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-import-\(UUID().uuidString)").path
        return (folder, try ImportedFile.write(files, to: folder, force: false))
    }

    /// Plans the declarations in `folder` against the sandbox.
    static func plan(_ declarations: [Declaration], client: WandbClient) async throws -> Plan {
        Planner().plan(declarations, observed: try await Observer(client: client).observe(declarations))
    }

    /// A team with hand-made queues of every resource type, projects and members, as a team would have before launchq.
    static func handMadeTeam(_ client: WandbClient) async throws {
        let viewer = try await client.viewer()
        _ = try await client.createTeam(name: "ml-platform", adminUsername: viewer.username)
        let alice = try await client.createUser(email: "alice@example.com")
        try await client.createInvite(entity: "ml-platform", usernameOrEmail: try #require(alice.username), admin: true)
        _ = try await client.createUser(email: "carol@example.com")
        try await client.createInvite(entity: "ml-platform", usernameOrEmail: "carol@example.com")
        try await client.createInvite(entity: "ml-platform", usernameOrEmail: "bob@example.com")  // pending: no such user yet
        try await client.upsertProject(name: "llm-pretrain", entity: "ml-platform", description: "Pre-training runs: yes, really #1")
        try await client.upsertProject(name: "scratch", entity: "ml-platform")

        let kubernetes: JSONValue = [
            "metadata": ["namespace": "training", "labels": ["launched-by": "${author}", "on": "yes", "run": "${run_id}"]],
            "spec": [
                "backoffLimit": 0,
                "template": [
                    "spec": [
                        "restartPolicy": "Never",
                        "nodeSelector": ["cloud.google.com/gke-accelerator": "{{gpu_type}}"],
                        "containers": [[
                            "name": "main",
                            "args": ["--lr", "0.001", "--steps", "1e3", "null", ""],
                            "command": ["sh", "-c", "echo start\npython train.py\n"],
                            "resources": ["limits": ["nvidia.com/gpu": "{{gpus}}", "memory": "{{memory_gib}}Gi", "cpu": 8.5]],
                        ]],
                    ]
                ],
            ],
        ]
        _ = try await client.upsertRunQueue(RunQueueDefinition(
            entity: "ml-platform", name: "a100-training", resourceType: "kubernetes", config: kubernetes,
            templateVariables: [
                "gpus": TemplateVariableDefinition(description: "GPUs per job", schema: ["type": "integer", "default": 1, "minimum": 1, "maximum": 8]),
                "memory_gib": TemplateVariableDefinition(schema: ["type": "number", "default": 64.5, "minimum": 8]),
                "gpu_type": TemplateVariableDefinition(
                    description: "Accelerator: which one?", schema: ["type": "string", "default": "nvidia-tesla-a100", "enum": ["nvidia-tesla-a100", "nvidia-a100-80gb"]]),
            ],
            prioritizationMode: .v0,
            externalLinks: [ExternalLink(label: "Dashboard", url: "https://grafana.example.com/d/launch?org=1&x=y"), ExternalLink(label: "Run book: #1", url: "https://wiki.example.com/launch")]))
        _ = try await client.upsertRunQueue(RunQueueDefinition(
            entity: "ml-platform", name: "GPU queue (old) / tmp", resourceType: "local-container",
            config: ["env": ["A=1", "B=yes"], "gpus": "all", "shm-size": "1g", "memory": 4096]))
        _ = try await client.upsertRunQueue(RunQueueDefinition(entity: "ml-platform", name: "laptop", resourceType: "local-process"))
        _ = try await client.upsertRunQueue(RunQueueDefinition(
            entity: "ml-platform", name: "sagemaker", resourceType: "sagemaker",
            config: [
                "RoleArn": "arn:aws:iam::123456789012:role/launch", "ResourceConfig": ["InstanceType": "ml.g5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50],
                "OutputDataConfig": ["S3OutputPath": "s3://bucket/out"], "StoppingCondition": ["MaxRuntimeInSeconds": 3600],
            ]))
        _ = try await client.upsertRunQueue(RunQueueDefinition(
            entity: "ml-platform", name: "vertex", resourceType: "gcp-vertex",
            config: ["spec": ["worker_pool_specs": [["machine_spec": ["machine_type": "n1-standard-4"], "replica_count": 1, "container_spec": ["image_uri": "${image_uri}"]]], "staging_bucket": "gs://bucket"], "run": ["timeout": 3600]]))
    }

    @Test("a team with hand-made queues imports to valid files that plan with no changes")
    func importThenPlan() async throws {
        try await Self.withSandbox { client in
            try await Self.handMadeTeam(client)
            let (folder, written) = try await Self.importEntity("ml-platform", client: client)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            #expect(written.map { String($0.dropFirst(folder.count + 1)) } == [
                "projects/llm-pretrain.yaml", "projects/scratch.yaml", "queues/GPU_queue__old____tmp.yaml", "queues/a100-training.yaml",
                "queues/laptop.yaml", "queues/sagemaker.yaml", "queues/vertex.yaml", "team.yaml",
            ])

            let report = Validator().validate(paths: [folder])
            #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
            #expect(report.declarations.count == written.count)
            #expect(report.diagnostics.allSatisfy { $0.code == .referenceUser }, "\(report.diagnostics.map(\.description))")

            let plan = try await Self.plan(report.declarations, client: client)
            #expect(!plan.hasChanges, "\(plan.text)")
            #expect(!plan.hasRefusals, "\(plan.text)")
            #expect(plan.steps.isEmpty, "nothing to create, update, report or leave alone:\n\(plan.text)")

            // The team file names every member with the role W&B gives them.
            let teams = report.declarations.compactMap { if case .team(let team) = $0.object { team } else { nil } }
            let members = Dictionary(uniqueKeysWithValues: try #require(teams.first).members.map { ($0.user, $0.role) })
            #expect(members["alice@example.com"] == .admin)
            #expect(members["carol@example.com"] == .member)
            #expect(members["bob@example.com"] == .member)
            #expect(members.values.contains(.admin))

            // A change on W&B after the import shows up as a plan against the imported files.
            _ = try await client.upsertRunQueue(RunQueueDefinition(entity: "ml-platform", name: "laptop", resourceType: "local-process", prioritizationMode: .v0))
            let drifted = try await Self.plan(report.declarations, client: client)
            #expect(drifted.hasRefusals, "V0 cannot go back to DISABLED: the import is a snapshot, and the plan says so")
        }
    }

    @Test("a queue launchq would refuse is imported with its errors, and still plans with no changes")
    func refusedQueue() async throws {
        try await Self.withSandbox { client in
            _ = try await client.createTeam(name: "ops")
            _ = try await client.upsertRunQueue(RunQueueDefinition(
                entity: "ops", name: "privileged", resourceType: "kubernetes",
                config: ["spec": ["template": ["spec": ["hostNetwork": true, "containers": [["name": "c", "securityContext": ["privileged": true]]]]]]]))
            let (folder, written) = try await Self.importEntity("ops", client: client)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            #expect(written.count == 2)

            let report = Validator().validate(paths: [folder])
            #expect(!report.isValid(strict: false))
            let refused = report.diagnostics.filter { $0.code == .kubernetesRefused }
            #expect(refused.count == 2, "\(report.diagnostics.map(\.description))")
            #expect(refused.allSatisfy { $0.location?.file.hasSuffix("queues/privileged.yaml") == true })

            let plan = try await Self.plan(report.declarations, client: client)
            #expect(!plan.hasChanges, "\(plan.text)")
        }
    }

    @Test("a user entity imports its queues without a team file; an unknown entity is an error")
    func userEntityAndUnknown() async throws {
        try await Self.withSandbox { client in
            let viewer = try await client.viewer()
            let entity = try #require(viewer.entity ?? viewer.username)
            _ = try await client.upsertRunQueue(RunQueueDefinition(entity: entity, name: "mine", resourceType: "local-process"))
            let (folder, written) = try await Self.importEntity(entity, client: client)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            #expect(written.map { String($0.dropFirst(folder.count + 1)) } == ["queues/mine.yaml"])
            let report = Validator().validate(paths: [folder])
            #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
            #expect(try await !Self.plan(report.declarations, client: client).hasChanges)

            let observed = try await Observer(client: client).observe(ObservationScope(entities: ["nobody-here"]))
            let error = #expect(throws: ImportError.self) { try Importer().files(for: try #require(observed.entities["nobody-here"])) }
            #expect(error?.code == .entityNotFound)
        }
    }

    @Test("random configs and descriptions survive W&B, the import and the loader: the plan has no changes", arguments: 1...3)
    func randomConfigs(seed: UInt64) async throws {
        try await Self.withSandbox { client in
            _ = try await client.createTeam(name: "fuzz")
            var random = RandomJSON(seed: seed)
            for index in 0..<6 {
                var config: [String: JSONValue] = [:]
                for _ in 0..<random.int(1...4) { config[random.key()] = random.value(depth: 3) }
                let name = index == 0 ? "q\(index)" : String(random.string().prefix(60)) + "-\(index)"
                _ = try await client.upsertRunQueue(RunQueueDefinition(
                    entity: "fuzz", name: name, resourceType: "local-process", config: .object(config),
                    templateVariables: ["v": TemplateVariableDefinition(description: random.string(), schema: ["type": "string"])],
                    externalLinks: [ExternalLink(label: random.string(), url: "https://example.com/\(index)")]))
                try await client.upsertProject(name: "p\(index)", entity: "fuzz", description: random.string())
            }
            let (folder, written) = try await Self.importEntity("fuzz", client: client)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            #expect(written.count == 13)
            let report = Validator().validate(paths: [folder])
            #expect(report.declarations.count == 13, "every file reads back: \(report.diagnostics.filter { $0.severity == .error }.map(\.description))")
            let plan = try await Self.plan(report.declarations, client: client)
            #expect(!plan.hasChanges, "\(plan.text)")
        }
    }
}
