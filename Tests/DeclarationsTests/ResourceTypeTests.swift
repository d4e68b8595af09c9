import Declarations
import Testing

@Suite("What the Launch agent refuses, per resource type")
struct ResourceTypeTests {
    @Test func kubernetesAcceptsAPlainJob() {
        expectClean(validate(queueYAML("resource_config:\n  spec:\n    template:\n      spec:\n        hostNetwork: false\n        containers: [{name: main}]\n")))
    }

    @Test(arguments: ["securityContext: {}", "hostPath: {path: /}", "serviceAccountToken: {}", "serviceAccountName: sa", "serviceAccount: sa"])
    func kubernetesRefusesKeysAnywhere(line: String) {
        let report = validate(queueYAML("resource_config:\n  spec:\n    template:\n      spec:\n        \(line)\n"))
        let key = String(line.prefix { $0 != ":" })
        expectOne(report, .kubernetesRefused, line: 10, column: 9, path: "/resource_config/spec/template/spec/\(key)")
    }

    @Test(arguments: ["hostPID", "hostIPC", "hostNetwork", "shareProcessNamespace", "hostUsers", "automountServiceAccountToken"])
    func kubernetesRefusesTruthyFlags(key: String) {
        expectOne(validate(queueYAML("resource_config:\n  spec:\n    \(key): true\n")), .kubernetesRefused, line: 8)
        #expect(diagnostics(validate(queueYAML("resource_config:\n  spec:\n    \(key): false\n")), .kubernetesRefused).isEmpty)
    }

    @Test func kubernetesRefusesHostPortsBidirectionalMountsAndUnconfinedProfiles() {
        expectOne(validate(queueYAML("resource_config:\n  ports: [{hostPort: 8080}]\n")), .kubernetesRefused, path: "/resource_config/ports/0/hostPort")
        #expect(diagnostics(validate(queueYAML("resource_config:\n  ports: [{hostPort: 0}]\n")), .kubernetesRefused).isEmpty)
        expectOne(validate(queueYAML("resource_config:\n  volumeMounts: [{mountPropagation: Bidirectional}]\n")), .kubernetesRefused)
        let annotation = validate(queueYAML(
            "resource_config:\n  metadata:\n    annotations:\n      container.apparmor.security.beta.kubernetes.io/main: unconfined\n      seccomp.example/x: runtime/default\n"))
        expectOne(annotation, .kubernetesRefused, line: 9)
    }

    @Test func sagemakerNeedsARoleAndItsSections() {
        let good = "resource_config:\n  RoleArn: arn:aws:iam::1:role/r\n  ResourceConfig: {InstanceCount: 1}\n  OutputDataConfig: {S3OutputPath: s3://b}\n  StoppingCondition: \"{{stop}}\"\ntemplate_variables:\n  stop: {schema: {type: string}}\n"
        expectClean(validate(queueYAML(type: "sagemaker", good)))
        let report = validate(queueYAML(type: "sagemaker", "resource_config:\n  role_arn: 5\n  ResourceConfig: {}\n"))
        expectOne(report, .sagemakerRoleArn, line: 7, column: 13, path: "/resource_config/role_arn")
        #expect(diagnostics(report, .sagemakerMissing).map(\.path.description).sorted() == ["/resource_config/OutputDataConfig", "/resource_config/StoppingCondition"])
        expectOne(validate(queueYAML(type: "sagemaker", "resource_config:\n  ResourceConfig: {}\n  OutputDataConfig: {}\n  StoppingCondition: {}\n")), .sagemakerRoleArn)
    }

    @Test func vertexNeedsWorkerPoolsWithContainersAndAStagingBucket() {
        let good = "resource_config:\n  spec:\n    staging_bucket: gs://b\n    worker_pool_specs: [{container_spec: {image_uri: x}}]\n  run: {timeout: 60}\n"
        expectClean(validate(queueYAML(type: "gcp-vertex", good)))
        let report = validate(queueYAML(type: "gcp-vertex", "resource_config:\n  spec:\n    worker_pool_specs: [{machine_spec: {}}]\n  run: {timout: 60}\n"))
        expectOne(report, .vertexWorkerPools, line: 8, column: 25, path: "/resource_config/spec/worker_pool_specs/0")
        expectOne(report, .vertexStagingBucket, path: "/resource_config/spec/staging_bucket")
        #expect(expectOne(report, .vertexRunKey, line: 9, column: 9, severity: .warning)?.hint == "did you mean \"timeout\"?")
        expectOne(validate(queueYAML(type: "gcp-vertex", "resource_config:\n  spec: {staging_bucket: b, worker_pool_specs: []}\n")), .vertexWorkerPools)
    }

    @Test func localContainerTakesDockerRunOptions() {
        let good = "resource_config:\n  --gpus: all\n  shm_size: 1g\n  CPUS: 2\n  env: [A=1, B=2]\n  ulimit: nofile=1024\n"
        expectClean(validate(queueYAML(type: "local-container", good)))
        let report = validate(queueYAML(type: "local-container", "resource_config:\n  privileged: true\n  memory: true\n  env: []\n  e: [{a: 1}]\n"))
        expectOne(report, .localContainerKey, line: 7, column: 3)
        #expect(diagnostics(report, .localContainerValue).map(\.path.description) == ["/resource_config/memory", "/resource_config/env", "/resource_config/e/0"])
        expectOne(validate(queueYAML(type: "local-container", "resource_config:\n  gpus: [all]\n")), .localContainerValue)
    }

    @Test func localProcessIgnoresItsConfig() {
        expectClean(validate(queueYAML(type: "local-process", "resource_config: {}\n")))
        expectOne(validate(queueYAML(type: "local-process", "resource_config:\n  cpus: 2\n")), .localProcessIgnored, severity: .warning)
    }

    @Test func builderBaseImagesAreStrings() {
        expectClean(validate(queueYAML(type: "local-process", "resource_config:\n  builder:\n    cuda: {base_image: nvidia/cuda:12}\n")))
        expectOne(
            validate(queueYAML("resource_config:\n  builder:\n    accelerator: {base_image: 12}\n")), .builderBaseImage,
            path: "/resource_config/builder/accelerator/base_image")
    }
}

@Suite("Rules across documents")
struct BundleRulesTests {
    @Test func referencesToUndeclaredUsersAndEntitiesAreWarnings() {
        let text = "apiVersion: launchq/v1\nkind: Team\nname: ml\nadmin: boss@example.com\nmembers: [{user: bob}]\n---\n" + queueYAML()
        let report = validate(text)
        #expect(diagnostics(report, .referenceUser).map(\.path.description) == ["/admin", "/members/0/user"])
        expectOne(report, .referenceEntity, line: 7, column: 1, severity: .warning)
        #expect(report.isValid(strict: false))
    }

    @Test func declaredReferencesAreClean() {
        let text = "apiVersion: launchq/v1\nkind: User\nemail: Boss@example.com\n---\napiVersion: launchq/v1\nkind: Team\nname: ml-platform\nadmin: boss@example.com\n---\n" + queueYAML()
        expectClean(validate(text))
    }
}
