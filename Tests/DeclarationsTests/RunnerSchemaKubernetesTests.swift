import Declarations
import Testing

/// Validates `text` with the Job schema of `version`.
func validate(_ text: String, kubernetes version: KubernetesVersion) -> ValidationReport {
    var load = LoadResult()
    load.fileCount = 1
    DeclarationLoader().load(contents: Array(text.utf8), file: "test.yaml", into: &load)
    return Validator(kubernetesVersion: version).validate(load)
}

@Suite("Kubernetes resource configs against the batch/v1 Job schema")
struct RunnerSchemaKubernetesTests {
    @Test func aRealisticJobPasses() {
        let config = """
            resource_config:
              apiVersion: batch/v1
              kind: Job
              metadata:
                namespace: training
                labels: {team: ml-platform, run: "${run_id}"}
              spec:
                backoffLimit: 0
                parallelism: "{{replicas}}"
                activeDeadlineSeconds: 86400
                ttlSecondsAfterFinished: 600
                template:
                  metadata: {annotations: {owner: ml}}
                  spec:
                    restartPolicy: Never
                    nodeSelector: {cloud.google.com/gke-accelerator: "{{gpu_type}}"}
                    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                    containers:
                      - resources:
                          limits: {nvidia.com/gpu: "{{gpus}}", memory: "{{memory_gib}}Gi", cpu: 8}
                          requests: {cpu: "500m"}
                        env: [{name: RUN_NAME, value: "${run_name}"}]
                        volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
                        ports: [{containerPort: 8080, protocol: TCP}]
                    volumes: [{name: data, emptyDir: {medium: Memory}}]
            template_variables:
              replicas: {schema: {type: integer, default: 1, minimum: 1, maximum: 4}}
              gpus: {schema: {type: integer, default: 1, minimum: 1, maximum: 8}}
              memory_gib: {schema: {type: integer, default: 64, enum: [64, 128]}}
              gpu_type: {schema: {type: string, default: nvidia-tesla-a100, enum: [nvidia-tesla-a100, nvidia-h100-80gb]}}

            """
        for version in KubernetesVersion.supported {
            expectClean(validate(queueYAML(config), kubernetes: version))
        }
    }

    @Test func whatTheLaunchAgentFillsInIsNotRequired() {
        // No containers, container name, image, Job name, labels or pod template: the agent supplies them.
        expectClean(validate(queueYAML("resource_config:\n  metadata: {namespace: training}\n")))
        expectClean(validate(queueYAML("resource_config:\n  spec:\n    template:\n      spec:\n        containers: [{}]\n")))
        // Top-level keys the runner reads itself.
        expectClean(validate(queueYAML("resource_config:\n  namespace: training\n  configFile: /etc/kube\n  builder: {cuda: {base_image: x}}\n")))
    }

    @Test func anUnknownFieldIsAnErrorWithADidYouMean() {
        let body = "resource_config:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: main\n            resouces: {}\n"
        let found = expectOne(validate(queueYAML(body)), .runnerUnknownField, line: 12, column: 13, path: "/resource_config/spec/template/spec/containers/0/resouces")
        #expect(found?.hint == "did you mean \"resources\"?")
        #expect(found?.message.contains("Container") == true)
    }

    @Test func aWrongTypeIsAnError() {
        let report = validate(queueYAML("resource_config:\n  spec:\n    parallelism: two\n"))
        let found = expectOne(report, .runnerType, line: 8, column: 18, path: "/resource_config/spec/parallelism")
        #expect(found?.message == "parallelism must be an integer, not a string")
    }

    @Test func aValueOutsideAnEnumIsAnError() {
        expectOne(validate(queueYAML("resource_config:\n  kind: CronJob\n")), .runnerEnum, line: 7, column: 9, path: "/resource_config/kind")
    }

    @Test func aMissingRequiredMemberIsAnError() {
        let body = "resource_config:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: main\n            ports:\n              - protocol: TCP\n"
        expectOne(validate(queueYAML(body)), .runnerRequired, line: 13, path: "/resource_config/spec/template/spec/containers/0/ports/0/containerPort")
    }

    @Test func anInt32OutOfRangeIsAnError() {
        expectOne(validate(queueYAML("resource_config:\n  spec:\n    parallelism: 3000000000\n")), .runnerRange, line: 8, path: "/resource_config/spec/parallelism")
    }

    @Test func placeholdersAreCheckedWithEveryValueAUserMayGive() {
        // A string variable renders a string where the API wants an integer.
        let text = validate(queueYAML("resource_config:\n  spec:\n    parallelism: \"{{n}}\"\ntemplate_variables:\n  n: {schema: {type: string, default: \"2\"}}\n"))
        let typeError = expectOne(text, .runnerType, line: 8, column: 18, path: "/resource_config/spec/parallelism")
        #expect(typeError?.message.contains("{{n}}") == true)
        // Without a default only the type is known, and it is still wrong.
        expectOne(validate(queueYAML("resource_config:\n  spec:\n    parallelism: \"{{n}}\"\ntemplate_variables:\n  n: {schema: {type: string}}\n")), .runnerType)
        // An integer variable whose maximum overflows int32; its default alone would pass.
        let range = validate(queueYAML(
            "resource_config:\n  spec:\n    parallelism: \"{{n}}\"\ntemplate_variables:\n  n: {schema: {type: integer, default: 1, maximum: 3000000000}}\n"))
        #expect(expectOne(range, .runnerRange, line: 8)?.message.hasPrefix("with {{n}} = 3000000000 (its maximum)") == true)
        // A number variable may hold a fraction, which an integer member does not take.
        let fraction = validate(queueYAML(
            "resource_config:\n  spec:\n    parallelism: \"{{n}}\"\ntemplate_variables:\n  n: {schema: {type: number, default: 1, enum: [1, 1.5]}}\n"))
        #expect(expectOne(fraction, .runnerType)?.message.contains("{{n}} = 1.5") == true)
        // An enum value the API does not know, reached through a placeholder with text around it.
        let kind = validate(queueYAML("resource_config:\n  kind: \"{{k}}Job\"\ntemplate_variables:\n  k: {schema: {type: string, default: \"\", enum: [\"\", Cron]}}\n"))
        #expect(expectOne(kind, .runnerEnum, line: 7)?.message.contains("{{k}} = \"Cron\"") == true)
    }

    @Test func macrosPassWhereAStringDoesButNotWhereANumberIsNeeded() {
        expectClean(validate(queueYAML("resource_config:\n  kind: \"${KIND}\"\n")).filtering(.macroEnvironment))
        expectOne(validate(queueYAML("resource_config:\n  spec:\n    parallelism: \"${replicas}\"\n")), .runnerType, path: "/resource_config/spec/parallelism")
    }

    @Test func aCustomObjectIsNotCheckedAgainstTheJobSchema() {
        let body = "resource_config:\n  apiVersion: kubeflow.org/v1\n  kind: PyTorchJob\n  spec:\n    pytorchReplicaSpecs: {Master: {replicas: 1}}\n"
        expectClean(validate(queueYAML(body)))
    }

    @Test func theKubernetesVersionChoosesTheSchema() throws {
        #expect(KubernetesVersion.supported.map(\.minor) == ["1.34", "1.35", "1.36", "1.37"])
        #expect(KubernetesVersion.newest.minor == "1.37")
        #expect(KubernetesVersion("v1.35.2")?.minor == "1.35")
        #expect(KubernetesVersion("1.20") == nil)
        #expect(KubernetesVersion("latest") == nil)
        // JobSpec.scheduling is new in 1.37.
        let body = queueYAML("resource_config:\n  spec:\n    scheduling: {}\n")
        expectClean(validate(body, kubernetes: try #require(KubernetesVersion("1.37"))))
        let old = validate(body, kubernetes: try #require(KubernetesVersion("1.34")))
        #expect(expectOne(old, .runnerUnknownField, line: 8, column: 5)?.message.contains("Kubernetes 1.34") == true)
    }
}

extension ValidationReport {
    /// The report without diagnostics of `code` (notes a test does not care about).
    func filtering(_ code: Diagnostic.Code) -> ValidationReport {
        var copy = self
        copy.diagnostics.removeAll { $0.code == code }
        return copy
    }
}
