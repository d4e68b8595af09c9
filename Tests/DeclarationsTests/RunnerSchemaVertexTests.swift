import Declarations
import Testing

@Suite("Vertex AI resource configs against CustomJob / WorkerPoolSpec")
struct RunnerSchemaVertexTests {
    /// A Vertex config with one worker pool whose members are `pool` (lines indented for the pool's mapping).
    func config(pool: String, variables: String = "") -> String {
        queueYAML(
            type: "gcp-vertex",
            """
            resource_config:
              spec:
                staging_bucket: gs://ml-launch-staging
                worker_pool_specs:
                  - container_spec: {image_uri: "${image_uri}"}

            """ + pool + (variables.isEmpty ? "" : "template_variables:\n" + variables))
    }

    @Test func aRealisticCustomJobPasses() {
        let report = validate(queueYAML(
            type: "gcp-vertex",
            """
            resource_config:
              spec:
                staging_bucket: gs://ml-launch-staging
                base_output_dir: gs://ml-launch-output/${run_id}
                labels: {team: ml-platform}
                worker_pool_specs:
                  - machine_spec: {machine_type: a2-highgpu-1g, accelerator_type: "{{accelerator}}", accelerator_count: "{{gpus}}"}
                    replica_count: 1
                    disk_spec: {boot_disk_type: pd-ssd, boot_disk_size_gb: 200}
                    container_spec:
                      image_uri: "${image_uri}"
                      args: [--epochs, "10"]
                      env: [{name: WANDB_PROJECT, value: "${project_name}"}]
              run: {restart_job_on_worker_restart: false, timeout: 3600, service_account: "launch@acme.iam.gserviceaccount.com"}
            template_variables:
              accelerator: {schema: {type: string, default: NVIDIA_TESLA_A100, enum: [NVIDIA_TESLA_A100, NVIDIA_H100_80GB]}}
              gpus: {schema: {type: integer, default: 1, minimum: 1, maximum: 8}}

            """))
        expectClean(report)
    }

    @Test func anUnknownMemberIsAnErrorWithTheSnakeCaseName() {
        let report = validate(config(pool: "        machine_spec: {machineType: n1-standard-4}\n"))
        let found = expectOne(report, .runnerUnknownField, line: 11, column: 24, path: "/resource_config/spec/worker_pool_specs/0/machine_spec/machineType")
        #expect(found?.hint == "did you mean \"machine_type\"?")
    }

    @Test func aWrongTypeIsAnError() {
        expectOne(validate(config(pool: "        replica_count: [1]\n")), .runnerType, line: 11, column: 24, path: "/resource_config/spec/worker_pool_specs/0/replica_count")
    }

    @Test func anAcceleratorTheAPIDoesNotKnowIsAnError() {
        let report = validate(config(pool: "        machine_spec: {accelerator_type: NVIDIA_TESLA_A10}\n"))
        let found = expectOne(report, .runnerEnum, line: 11, column: 42, path: "/resource_config/spec/worker_pool_specs/0/machine_spec/accelerator_type")
        #expect(found?.hint == "did you mean \"NVIDIA_TESLA_A100\"?")
    }

    @Test func aMissingRequiredMemberIsAnError() {
        let report = validate(queueYAML(
            type: "gcp-vertex",
            "resource_config:\n  spec:\n    staging_bucket: b\n    worker_pool_specs:\n      - container_spec: {image_uri: x, env: [{name: A}]}\n"))
        expectOne(report, .runnerRequired, line: 10, path: "/resource_config/spec/worker_pool_specs/0/container_spec/env/0/value")
        // The image is the agent's to fill.
        expectClean(validate(queueYAML(type: "gcp-vertex", "resource_config:\n  spec:\n    staging_bucket: b\n    worker_pool_specs: [{container_spec: {}}]\n")))
    }

    @Test func anOutOfRangeCountIsAnError() {
        expectOne(validate(config(pool: "        machine_spec: {accelerator_count: 3000000000}\n")), .runnerRange, line: 11)
        expectClean(validate(config(pool: "        replica_count: 2\n")))
    }

    @Test func anEnumValueOfAVariableTheAPIDoesNotKnowIsAnErrorNamingTheVariable() {
        let report = validate(config(
            pool: "        machine_spec: {accelerator_type: \"{{accelerator}}\"}\n",
            variables: "  accelerator: {schema: {type: string, default: NVIDIA_TESLA_A100, enum: [NVIDIA_TESLA_A100, NVIDIA_TESLA_Z1]}}\n"))
        let found = expectOne(report, .runnerEnum, line: 11, path: "/resource_config/spec/worker_pool_specs/0/machine_spec/accelerator_type")
        #expect(found?.message.contains("{{accelerator}} = \"NVIDIA_TESLA_Z1\"") == true)
    }
}
