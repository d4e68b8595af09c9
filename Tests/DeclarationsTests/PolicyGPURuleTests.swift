import Declarations
import Testing

@Suite("Policy rule max_gpus_per_job, at the worst case of template variables")
struct PolicyGPURuleTests {
    static let eight = policyYAML("  max_gpus_per_job: 8\n")

    @Test func kubernetesLimitTimesParallelismWithinTheLimitIsAccepted() {
        #expect(policyFindings(Self.eight, jobQueue(gpus: "4", parallelism: "2")).isEmpty)
    }

    @Test func kubernetesLimitTimesParallelismOverTheLimitIsRefusedAtTheLimit() throws {
        let report = validate(Self.eight + jobQueue(gpus: "4", parallelism: "3"))
        let diagnostic = try #require(expectOne(
            report, .policyMaxGPUsPerJob, line: 26, path: "/resource_config/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu"))
        #expect(diagnostic.message.contains("a job may use 12 GPUs, over the limit of 8: nvidia.com/gpu 4 × parallelism 3"), "\(diagnostic.message)")
    }

    @Test func aVariableBoundedWithinTheLimitIsAccepted() {
        let variables = "template_variables:\n  gpus: {schema: {type: integer, default: 1, minimum: 1, maximum: 8}}\n"
        #expect(policyFindings(Self.eight, jobQueue(gpus: "\"{{gpus}}\"", variables: variables)).isEmpty)
    }

    @Test func aVariableWhoseMaximumBreaksTheLimitIsRefused() throws {
        let variables = "template_variables:\n  gpus: {schema: {type: integer, default: 1, minimum: 1, maximum: 16}}\n"
        let found = policyFindings(Self.eight, jobQueue(gpus: "\"{{gpus}}\"", variables: variables))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("a job may use 16 GPUs") == true)
        #expect(found.first?.message.contains("(maximum of gpus)") == true, "\(found.map(\.message))")
    }

    @Test func anUnboundedVariableIsRefused() {
        let variables = "template_variables:\n  gpus: {schema: {type: integer, default: 1, minimum: 1}}\n"
        let found = policyFindings(Self.eight, jobQueue(gpus: "\"{{gpus}}\"", variables: variables))
        #expect(found.map(\.code) == [.policyMaxGPUsPerJob])
        #expect(found.first?.message.contains("no bound") == true)
        #expect(found.first?.message.contains("template variable gpus has no maximum") == true, "\(found.map(\.message))")
    }

    @Test func anEnumVariableCountsItsLargestMember() {
        let small = "template_variables:\n  n: {schema: {type: integer, default: 1, enum: [1, 2, 4]}}\n"
        #expect(policyFindings(Self.eight, jobQueue(gpus: "\"{{n}}\"", parallelism: "2", variables: small)).isEmpty)
        let large = "template_variables:\n  n: {schema: {type: integer, default: 1, enum: [1, 2, 8]}}\n"
        let found = policyFindings(Self.eight, jobQueue(gpus: "\"{{n}}\"", parallelism: "2", variables: large))
        #expect(found.first?.message.contains("16 GPUs") == true, "\(found.map(\.message))")
    }

    @Test func aVariableParallelismCountsAtItsMaximum() {
        let variables = "template_variables:\n  workers: {schema: {type: integer, default: 1, minimum: 1, maximum: 4}}\n"
        #expect(policyFindings(Self.eight, jobQueue(gpus: "2", parallelism: "\"{{workers}}\"", variables: variables)).isEmpty)
        #expect(policyFindings(Self.eight, jobQueue(gpus: "4", parallelism: "\"{{workers}}\"", variables: variables)).count == 1)
    }

    @Test func customObjectsCountEveryReplicaSet() {
        let queue = queueYAML(
            """
            resource_config:
              apiVersion: kubeflow.org/v1
              kind: PyTorchJob
              spec:
                pytorchReplicaSpecs:
                  Master:
                    replicas: 1
                    template: {spec: {containers: [{name: pytorch, resources: {limits: {nvidia.com/gpu: 4}}}]}}
                  Worker:
                    replicas: 2
                    template: {spec: {containers: [{name: pytorch, resources: {limits: {nvidia.com/gpu: 4}}}]}}

            """)
        let found = policyFindings(Self.eight, queue)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("a job may use 12 GPUs") == true, "\(found.map(\.message))")
        #expect(policyFindings(policyYAML("  max_gpus_per_job: 12\n"), queue).isEmpty)
    }

    static func sagemaker(type: String, count: String, variables: String = "") -> String {
        queueYAML(
            type: "sagemaker",
            """
            resource_config:
              RoleArn: arn:aws:iam::123456789012:role/launch
              ResourceConfig: {InstanceType: \(type), InstanceCount: \(count), VolumeSizeInGB: 50}
              OutputDataConfig: {S3OutputPath: "s3://bucket/out"}
              StoppingCondition: {MaxRuntimeInSeconds: 3600}

            """ + variables)
    }

    @Test func sagemakerCountsInstancesTimesTheGPUsOfTheInstanceType() {
        #expect(policyFindings(Self.eight, Self.sagemaker(type: "ml.p4d.24xlarge", count: "1")).isEmpty)
        #expect(policyFindings(Self.eight, Self.sagemaker(type: "ml.g5.12xlarge", count: "2")).isEmpty)
        #expect(policyFindings(Self.eight, Self.sagemaker(type: "ml.m5.xlarge", count: "100")).isEmpty)
        let found = policyFindings(Self.eight, Self.sagemaker(type: "ml.p4d.24xlarge", count: "2"))
        #expect(found.first?.message.contains("a job may use 16 GPUs") == true, "\(found.map(\.message))")
        #expect(found.first?.path.description == "/resource_config/ResourceConfig/InstanceType")
    }

    @Test func sagemakerTakesTheWorstInstanceTypeAndCountTheVariablesAllow() {
        let variables = "template_variables:\n  type: {schema: {type: string, default: ml.g5.2xlarge, enum: [ml.g5.2xlarge, ml.p4d.24xlarge]}}\n"
            + "  count: {schema: {type: integer, default: 1, minimum: 1, maximum: 2}}\n"
        #expect(policyFindings(policyYAML("  max_gpus_per_job: 16\n"), Self.sagemaker(type: "\"{{type}}\"", count: "\"{{count}}\"", variables: variables)).isEmpty)
        #expect(policyFindings(Self.eight, Self.sagemaker(type: "\"{{type}}\"", count: "\"{{count}}\"", variables: variables)).count == 1)
        let open = "template_variables:\n  type: {schema: {type: string, default: ml.g5.2xlarge}}\n"
        let found = policyFindings(Self.eight, Self.sagemaker(type: "\"{{type}}\"", count: "1", variables: open))
        #expect(found.first?.message.contains("the instance type is not fixed") == true, "\(found.map(\.message))")
        let unknown = policyFindings(Self.eight, Self.sagemaker(type: "ml.p9.96xlarge", count: "1"))
        #expect(unknown.first?.message.contains("does not know how many GPUs ml.p9.96xlarge has") == true, "\(unknown.map(\.message))")
    }

    static func vertex(accelerators: String, replicas: String, variables: String = "") -> String {
        queueYAML(
            type: "gcp-vertex",
            """
            resource_config:
              spec:
                staging_bucket: gs://bucket
                worker_pool_specs:
                  - machine_spec: {machine_type: a2-highgpu-4g, accelerator_type: NVIDIA_TESLA_A100, accelerator_count: \(accelerators)}
                    replica_count: \(replicas)
                    container_spec: {image_uri: "${image_uri}"}

            """ + variables)
    }

    @Test func vertexCountsAcceleratorsTimesReplicas() {
        #expect(policyFindings(Self.eight, Self.vertex(accelerators: "4", replicas: "2")).isEmpty)
        let found = policyFindings(Self.eight, Self.vertex(accelerators: "4", replicas: "3"))
        #expect(found.first?.message.contains("a job may use 12 GPUs") == true, "\(found.map(\.message))")
        let variables = "template_variables:\n  replicas: {schema: {type: integer, default: 1, minimum: 1, maximum: 4}}\n"
        #expect(policyFindings(Self.eight, Self.vertex(accelerators: "2", replicas: "\"{{replicas}}\"", variables: variables)).isEmpty)
        #expect(policyFindings(Self.eight, Self.vertex(accelerators: "4", replicas: "\"{{replicas}}\"", variables: variables)).count == 1)
    }
}
