import CYaml
import Declarations
import Foundation
import Yams

/// Validation throughput on 10,000 generated queue declarations, beside bare YAML parsing (Yams) of the
/// same bytes. Target: validation costs no more than 1.5× the bare parse; 10,000 queues in under 2 s.
enum DeclarationsBenchmark {
    static func run() throws {
        let queueCount = 10_000
        let perFile = 100
        let files = (0..<(queueCount / perFile)).map { file in
            (name: "queues/file\(file).yaml", bytes: Array((0..<perFile).map { queue(file * perFile + $0) }.joined().utf8))
        }
        let totalBytes = files.reduce(0) { $0 + $1.bytes.count }
        print("declarations: \(queueCount) queues in \(files.count) files, \(totalBytes / 1024) KiB of YAML")

        // Warm up both paths once.
        _ = try parseWithYams(files)
        _ = validate(files)

        var eventTimes: [Double] = []
        var yamsTimes: [Double] = []
        var validateTimes: [Double] = []
        var policyTimes: [Double] = []
        var declarations = 0
        // The same queues held to three policies (every rule, all in scope, none broken).
        let policed = files + [(name: "policies.yaml", bytes: Array(policies.utf8))]
        _ = validate(policed)
        for _ in 0..<5 {
            eventTimes.append(measure { _ = scanEvents(files) })
            yamsTimes.append(try measure { _ = try parseWithYams(files) })
            validateTimes.append(measure {
                let report = validate(files)
                precondition(report.errorCount == 0, "generated declarations must be valid: \(report.diagnostics.prefix(3))")
                declarations = report.declarations.count
            })
            policyTimes.append(measure {
                let report = validate(policed)
                precondition(
                    report.errorCount == 0 && !report.diagnostics.contains { $0.code.rawValue.hasPrefix("policy.") },
                    "the policies must hold: \(report.diagnostics.prefix(3))")
            })
        }
        let yams = yamsTimes.min()!
        let validation = validateTimes.min()!
        let events = eventTimes.min()!
        print(String(format: "  libyaml events only (no tree)      %8.1f ms  %9.0f queues/s", events * 1000, Double(queueCount) / events))
        print(String(format: "  Yams compose_all (bare parse)      %8.1f ms  %9.0f queues/s", yams * 1000, Double(queueCount) / yams))
        print(String(format: "  launchq load + validate (%d decl.) %8.1f ms  %9.0f queues/s", declarations, validation * 1000, Double(queueCount) / validation))
        let policing = policyTimes.min()!
        print(String(format: "  … with three policies (kind: Policy) %8.1f ms  %9.0f queues/s  (target < 2 s)", policing * 1000, Double(queueCount) / policing))
        print(String(format: "  ratio validate / bare parse        %8.2f×   (target ≤ 1.5×; best of 5 runs)", validation / yams))
        print(String(format: "  ratio validate / libyaml events    %8.2f×", validation / events))
    }

    static func validate(_ files: [(name: String, bytes: [UInt8])]) -> ValidationReport {
        var load = LoadResult()
        let loader = DeclarationLoader()
        for file in files {
            load.fileCount += 1
            loader.load(contents: file.bytes, file: file.name, into: &load)
        }
        return Validator().validate(load)
    }

    /// The floor: libyaml's event stream with nothing built from it.
    static func scanEvents(_ files: [(name: String, bytes: [UInt8])]) -> Int {
        var count = 0
        for file in files {
            var parser = yaml_parser_t()
            yaml_parser_initialize(&parser)
            file.bytes.withUnsafeBufferPointer { buffer in
                yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
                var event = yaml_event_t()
                while yaml_parser_parse(&parser, &event) == 1 {
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    count += 1
                    if done { break }
                }
            }
            yaml_parser_delete(&parser)
        }
        return count
    }

    static func parseWithYams(_ files: [(name: String, bytes: [UInt8])]) throws -> Int {
        var count = 0
        for file in files {
            for _ in try Yams.compose_all(yaml: String(decoding: file.bytes, as: UTF8.self)) { count += 1 }
        }
        return count
    }

    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Three policies that every generated queue keeps, at the worst case of its variables.
    static let policies = """
        apiVersion: launchq/v1
        kind: Policy
        name: gpu-budget
        scope: {entities: ["team-*"], resource_types: [kubernetes]}
        rules:
          max_gpus_per_job: 8
          require_limits: [memory]
          allowed_image_prefixes: ["us-docker.pkg.dev/acme/"]
        ---
        apiVersion: launchq/v1
        kind: Policy
        name: placement
        rules:
          allowed_namespaces: [training-0, training-1, training-2, training-3, training-4, training-5, training-6]
          required_labels: [team, tier]
          prioritization_mode: V0
        ---
        apiVersion: launchq/v1
        kind: Policy
        name: links
        severity: warning
        scope: {queues: ["queue-*"]}
        rules:
          required_links: [Dashboard]

        """

    /// A realistic Kubernetes queue with three template variables.
    static func queue(_ index: Int) -> String {
        """
        ---
        apiVersion: launchq/v1
        kind: RunQueue
        entity: team-\(index % 10)
        name: queue-\(index)
        resource_type: kubernetes
        prioritization_mode: V0
        resource_config:
          metadata:
            namespace: training-\(index % 7)
            labels: {team: team-\(index % 10), tier: gpu}
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                nodeSelector:
                  cloud.google.com/gke-accelerator: "{{gpu_type}}"
                containers:
                  - name: main
                    image: "${image_uri}"
                    resources:
                      limits:
                        nvidia.com/gpu: "{{gpus}}"
                        memory: "{{memory_gib}}Gi"
        template_variables:
          gpus:
            description: GPUs per job
            schema: {type: integer, default: 1, minimum: 1, maximum: 8}
          memory_gib:
            schema: {type: integer, default: 64, minimum: 8, maximum: 512}
          gpu_type:
            schema: {type: string, default: nvidia-tesla-a100, enum: [nvidia-tesla-a100, nvidia-a100-80gb]}
        external_links:
          Dashboard: https://grafana.example.com/d/\(index)

        """
    }
}
