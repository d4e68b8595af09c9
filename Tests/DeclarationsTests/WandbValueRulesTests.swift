import Declarations
import Testing

/// What W&B can hold: no non-finite numbers anywhere, and no whole-value placeholder where the runner needs a
/// list or a mapping (a template variable is a string or a number).
@Suite("Values W&B can hold")
struct WandbValueRulesTests {
    @Test(arguments: [(".inf", 9), ("-.inf", 9), (".nan", 9), (".NaN", 9), ("+.Inf", 9)])
    func nonFiniteNumbersInAResourceConfigAreErrorsAtTheirPosition(spelling: String, column: Int) {
        let report = validate(queueYAML(type: "local-container", "resource_config:\n  cpus: \(spelling)\n"))
        let diagnostic = expectOne(report, .yamlNonFiniteNumber, line: 7, column: column, path: "/resource_config/cpus")
        #expect(diagnostic?.description.contains("error[yaml.non-finite-number]") == true)
        #expect(!report.isValid(strict: false))
    }

    @Test func nonFiniteNumbersAreFoundAnywhere() {
        let queue = queueYAML(
            "resource_config:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: main\n            args: [1, -.inf]\n"
                + "template_variables:\n  gpus:\n    schema: {type: number, default: 1, maximum: .inf}\n")
        let report = validate(queue)
        let found = diagnostics(report, .yamlNonFiniteNumber)
        #expect(found.map(\.path.description) == ["/resource_config/spec/template/spec/containers/0/args/1", "/template_variables/gpus/schema/maximum"])
        #expect(found.map { $0.location?.line } == [12, 15])
        // Outside a queue too: a User's admin flag.
        let user = validate("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\nadmin: .nan\n")
        expectOne(user, .yamlNonFiniteNumber, line: 4, column: 8, path: "/admin")
    }

    @Test func quotedOrFiniteNumbersAreFine() {
        let report = validate(queueYAML(type: "local-container", "resource_config:\n  cpus: \".inf\"\n  memory: 1e3\n  shm-size: -2.5\n"))
        #expect(diagnostics(report, .yamlNonFiniteNumber).isEmpty)
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
    }

    static let poolsVariable = "template_variables:\n  pools:\n    schema: {type: string}\n"

    @Test func aWholePlaceholderForVertexWorkerPoolsIsAnError() {
        let report = validate(queueYAML(
            type: "gcp-vertex", "resource_config:\n  spec:\n    staging_bucket: gs://b\n    worker_pool_specs: \"{{pools}}\"\n" + Self.poolsVariable))
        let diagnostic = expectOne(report, .templatePlaceholderShape, line: 9, column: 24, path: "/resource_config/spec/worker_pool_specs")
        #expect(diagnostic?.message.contains("needs a list") == true, "\(String(describing: diagnostic))")
        #expect(diagnostics(report, .vertexWorkerPools).isEmpty, "one finding, not two")
        #expect(!report.isValid(strict: false))
    }

    @Test func aWholePlaceholderForOneWorkerPoolOrItsContainerSpecIsAnError() {
        let items = validate(queueYAML(
            type: "gcp-vertex",
            "resource_config:\n  spec:\n    staging_bucket: gs://b\n    worker_pool_specs:\n      - \"{{pools}}\"\n"
                + "      - container_spec: \"{{pools}}\"\n        machine_spec: {machine_type: \"{{pools}}\"}\n" + Self.poolsVariable))
        let found = diagnostics(items, .templatePlaceholderShape)
        #expect(found.map(\.path.description) == ["/resource_config/spec/worker_pool_specs/0", "/resource_config/spec/worker_pool_specs/1/container_spec"])
        #expect(found.map { $0.location?.line } == [10, 11])
    }

    @Test func kubernetesContainersAndPodSpecMustBeWritten() {
        let containers = validate(queueYAML(
            "resource_config:\n  spec:\n    template:\n      spec:\n        containers: \"{{pools}}\"\n" + Self.poolsVariable))
        expectOne(containers, .templatePlaceholderShape, line: 10, column: 21, path: "/resource_config/spec/template/spec/containers")
        let podSpec = validate(queueYAML("resource_config:\n  metadata: {labels: \"{{pools}}\"}\n  spec:\n    template: \"{{pools}}\"\n" + Self.poolsVariable))
        #expect(diagnostics(podSpec, .templatePlaceholderShape).map(\.path.description) == [
            "/resource_config/metadata/labels", "/resource_config/spec/template",
        ])
        // A custom resource is not a Job: its spec is the operator's business.
        let custom = validate(queueYAML(
            "resource_config:\n  apiVersion: kubeflow.org/v1\n  kind: PyTorchJob\n  spec:\n    template: \"{{pools}}\"\n" + Self.poolsVariable))
        #expect(diagnostics(custom, .templatePlaceholderShape).isEmpty)
    }

    @Test func sagemakerMergedSectionsAndTheBuilderMustBeWritten() {
        let report = validate(queueYAML(
            type: "sagemaker",
            "resource_config:\n  RoleArn: \"{{pools}}\"\n  ResourceConfig: \"{{pools}}\"\n  OutputDataConfig: {S3OutputPath: \"{{pools}}\"}\n"
                + "  StoppingCondition: {MaxRuntimeInSeconds: 60}\n  Environment: \"{{pools}}\"\n  Tags: [\"{{pools}}\"]\n  builder: {cuda: \"{{pools}}\"}\n"
                + Self.poolsVariable))
        // The runner merges into Environment and appends to Tags; it only checks ResourceConfig is present.
        #expect(diagnostics(report, .templatePlaceholderShape).map(\.path.description) == [
            "/resource_config/builder/cuda", "/resource_config/Environment", "/resource_config/Tags/0",
        ])
    }

    @Test func placeholdersInValuesStayClean() {
        let report = validate(queueYAML(
            type: "gcp-vertex",
            "resource_config:\n  spec:\n    staging_bucket: \"{{pools}}\"\n    worker_pool_specs:\n      - container_spec: {image_uri: \"{{pools}}\"}\n"
                + "        machine_spec: {machine_type: \"{{pools}}\"}\n        replica_count: 1\n" + Self.poolsVariable))
        expectClean(report)
    }
}
