import Declarations
import Testing

@Suite("Policy rules other than GPUs: an accepted and a refused case each")
struct PolicyRuleTests {
    @Test func requireLimitsOnEveryKubernetesContainer() throws {
        let rule = policyYAML("  require_limits: [cpu, memory]\n")
        #expect(policyFindings(rule, jobQueue()).isEmpty)
        let found = policyFindings(policyYAML("  require_limits: [cpu, ephemeral-storage]\n"), jobQueue())
        #expect(found.map(\.code) == [.policyRequireLimits])
        let diagnostic = try #require(found.first)
        #expect(diagnostic.message.contains("container \"main\" sets no ephemeral-storage limit"), "\(diagnostic.message)")
        #expect(diagnostic.path.description == "/resource_config/spec/template/spec/containers/0/resources/limits")
        // No containers at all: the agent adds one without limits.
        let bare = policyFindings(rule, queueYAML("resource_config: {metadata: {namespace: training}}\n"))
        #expect(bare.first?.message.contains("declares no containers") == true, "\(bare.map(\.message))")
        // Not a Kubernetes queue: the rule does not apply.
        #expect(policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "ml.m5.xlarge", count: "1")).isEmpty)
    }

    @Test func allowedNamespacesTakesEveryValueAVariableAllows() {
        let rule = policyYAML("  allowed_namespaces: [training, research]\n")
        #expect(policyFindings(rule, jobQueue(namespace: "training")).isEmpty)
        let outside = policyFindings(rule, jobQueue(namespace: "default"))
        #expect(outside.first?.message.contains("the namespace may be \"default\", which is not allowed") == true, "\(outside.map(\.message))")
        #expect(outside.first?.path.description == "/resource_config/metadata/namespace")
        let bounded = "template_variables:\n  ns: {schema: {type: string, default: training, enum: [training, research]}}\n"
        #expect(policyFindings(rule, jobQueue(variables: bounded, namespace: "\"{{ns}}\"")).isEmpty)
        let wider = "template_variables:\n  ns: {schema: {type: string, default: training, enum: [training, kube-system]}}\n"
        #expect(policyFindings(rule, jobQueue(variables: wider, namespace: "\"{{ns}}\"")).first?.message.contains("\"kube-system\"") == true)
        let open = "template_variables:\n  ns: {schema: {type: string, default: training}}\n"
        #expect(policyFindings(rule, jobQueue(variables: open, namespace: "\"{{ns}}\"")).first?.message.contains("is not fixed") == true)
        let none = policyFindings(rule, queueYAML("resource_config: {spec: {template: {spec: {containers: [{name: main}]}}}}\n"))
        #expect(none.first?.message.contains("no namespace is declared") == true, "\(none.map(\.message))")
    }

    @Test func allowedImagePrefixesChecksDeclaredImagesButNotTheRunsOwn() {
        let rule = policyYAML("  allowed_image_prefixes: [\"us-docker.pkg.dev/acme/\"]\n")
        #expect(policyFindings(rule, jobQueue()).isEmpty)
        let container = { (image: String, variables: String) in
            queueYAML("resource_config:\n  spec: {template: {spec: {containers: [{name: main, image: \"\(image)\"}]}}}\n" + variables)
        }
        #expect(policyFindings(rule, container("${image_uri}", "")).isEmpty)
        #expect(policyFindings(rule, container("docker.io/library/python:3", "")).map(\.code) == [.policyAllowedImagePrefixes])
        let tag = "template_variables:\n  tag: {schema: {type: string, default: \"1\"}}\n"
        #expect(policyFindings(rule, container("us-docker.pkg.dev/acme/train:{{tag}}", tag)).isEmpty)
        let repo = "template_variables:\n  repo: {schema: {type: string, default: us-docker.pkg.dev/acme/train}}\n"
        #expect(policyFindings(rule, container("{{repo}}:1", repo)).first?.message.contains("is not fixed") == true)
        #expect(policyFindings(rule, container("${REGISTRY}/train:1", "")).count == 1)
        let base = queueYAML(type: "local-process", "resource_config: {builder: {accelerator: {base_image: \"nvidia/cuda:12.4.1-runtime-ubuntu22.04\"}}}\n")
        #expect(policyFindings(rule, base).first?.path.description == "/resource_config/builder/accelerator/base_image")
    }

    @Test func allowedInstanceTypesForSageMakerAndVertex() {
        let rule = policyYAML("  allowed_instance_types: [ml.p4d.24xlarge, ml.g5.2xlarge, a2-highgpu-4g]\n")
        #expect(policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "ml.p4d.24xlarge", count: "1")).isEmpty)
        let sagemaker = policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "ml.p5.48xlarge", count: "1"))
        #expect(sagemaker.first?.message.contains("the instance type may be \"ml.p5.48xlarge\", which is not allowed") == true, "\(sagemaker.map(\.message))")
        let choice = "template_variables:\n  type: {schema: {type: string, default: ml.g5.2xlarge, enum: [ml.g5.2xlarge, ml.p5.48xlarge]}}\n"
        #expect(policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "\"{{type}}\"", count: "1", variables: choice)).count == 1)
        #expect(policyFindings(rule, PolicyGPURuleTests.vertex(accelerators: "4", replicas: "1")).isEmpty)
        let other = policyFindings(policyYAML("  allowed_instance_types: [n1-standard-4]\n"), PolicyGPURuleTests.vertex(accelerators: "4", replicas: "1"))
        #expect(other.first?.message.contains("the machine type may be \"a2-highgpu-4g\"") == true, "\(other.map(\.message))")
        #expect(other.first?.path.description == "/resource_config/spec/worker_pool_specs/0/machine_spec/machine_type")
    }

    @Test func requiredLabelsOnJobsVertexAndSageMakerTags() {
        let rule = policyYAML("  required_labels: [team]\n")
        #expect(policyFindings(rule, jobQueue()).isEmpty)
        let missing = policyFindings(policyYAML("  required_labels: [team, cost-center]\n"), jobQueue())
        #expect(missing.map(\.message) == ["queue ml-platform/q1 breaks policy \"guard\" (required_labels): the label \"cost-center\" is missing"])
        #expect(missing.first?.path.description == "/resource_config/metadata/labels")
        #expect(policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "ml.m5.xlarge", count: "1")).first?.message.contains("the tag \"team\" is missing") == true)
        let tagged = queueYAML(
            type: "sagemaker",
            "resource_config:\n  RoleArn: r\n  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1}\n  OutputDataConfig: {S3OutputPath: s3://b}\n"
                + "  StoppingCondition: {MaxRuntimeInSeconds: 60}\n  Tags: [{Key: team, Value: vision}]\n")
        #expect(policyFindings(rule, tagged).isEmpty)
        #expect(policyFindings(rule, PolicyGPURuleTests.vertex(accelerators: "1", replicas: "1")).count == 1)
    }

    @Test func maxRuntimeSecondsPerRunnerAndThroughVariables() {
        let rule = policyYAML("  max_runtime_seconds: 86400\n")
        #expect(policyFindings(rule, jobQueue(extraSpec: "    activeDeadlineSeconds: 3600")).isEmpty)
        let forever = policyFindings(rule, jobQueue())
        #expect(forever.first?.message.contains("no activeDeadlineSeconds is declared") == true, "\(forever.map(\.message))")
        #expect(policyFindings(rule, jobQueue(extraSpec: "    activeDeadlineSeconds: 172800")).first?.message.contains("a job may run 172800 s") == true)
        #expect(policyFindings(rule, PolicyGPURuleTests.sagemaker(type: "ml.m5.xlarge", count: "1")).isEmpty)
        let variable = "template_variables:\n  stop: {schema: {type: integer, default: 3600, minimum: 60, maximum: 432000}}\n"
        let sagemaker = queueYAML(
            type: "sagemaker",
            "resource_config:\n  RoleArn: r\n  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1}\n  OutputDataConfig: {S3OutputPath: s3://b}\n"
                + "  StoppingCondition: {MaxRuntimeInSeconds: \"{{stop}}\"}\n" + variable)
        let found = policyFindings(rule, sagemaker)
        #expect(found.first?.message.contains("a job may run 432000 s") == true, "\(found.map(\.message))")
        #expect(found.first?.path.description == "/resource_config/StoppingCondition/MaxRuntimeInSeconds")
        // Vertex: without a timeout its default is 7 days; spec.scheduling.timeout is a duration.
        #expect(policyFindings(rule, PolicyGPURuleTests.vertex(accelerators: "1", replicas: "1")).first?.message.contains("7 days") == true)
        let scheduled = queueYAML(
            type: "gcp-vertex",
            "resource_config:\n  spec:\n    staging_bucket: gs://b\n    scheduling: {timeout: 3600s}\n    worker_pool_specs: [{machine_spec: {machine_type: n1-standard-4}, replica_count: 1, container_spec: {image_uri: x}}]\n")
        #expect(policyFindings(rule, scheduled).isEmpty)
    }

    @Test func requiredLinksAndPrioritizationMode() {
        let links = policyYAML("  required_links: [Runbook]\n")
        let linked = queueYAML("resource_config: {}\nexternal_links: {Runbook: \"https://wiki.example.com/run\"}\n")
        #expect(policyFindings(links, linked).isEmpty)
        #expect(policyFindings(links, queueYAML("resource_config: {}\n")).map(\.code) == [.policyRequiredLinks])
        let mode = policyYAML("  prioritization_mode: V0\n")
        #expect(policyFindings(mode, queueYAML("prioritization_mode: V0\nresource_config: {}\n")).isEmpty)
        #expect(policyFindings(mode, queueYAML("resource_config: {}\n")).map(\.code) == [.policyPrioritizationMode])
    }
}
