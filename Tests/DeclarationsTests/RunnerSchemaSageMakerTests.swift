import Declarations
import Testing

@Suite("SageMaker resource configs against the CreateTrainingJob request shape")
struct RunnerSchemaSageMakerTests {
    /// A config the runner accepts; `extra` lines go under `resource_config`, `variables` under `template_variables`.
    func config(_ resourceConfig: String = "", variables: String = "") -> String {
        queueYAML(
            type: "sagemaker",
            """
            resource_config:
              RoleArn: arn:aws:iam::123456789012:role/wandb-launch
              OutputDataConfig: {S3OutputPath: "s3://ml-launch/${entity_name}/${project_name}"}
              StoppingCondition: {MaxRuntimeInSeconds: 86400}

            """ + resourceConfig + (variables.isEmpty ? "" : "template_variables:\n" + variables))
    }

    @Test func aRealisticTrainingJobPasses() {
        let report = validate(config(
            """
              ResourceConfig: {InstanceType: "{{instance_type}}", InstanceCount: "{{count}}", VolumeSizeInGB: 100}
              AlgorithmSpecification:
                TrainingInputMode: File
                MetricDefinitions: [{Name: loss, Regex: "loss=(.*)"}]
              Environment: {WANDB_PROJECT: "${project_name}"}
              Tags: [{Key: team, Value: ml-platform}]
              hyper_parameters: {lr: "0.01"}
              EnableManagedSpotTraining: true
              region: us-east-1

            """,
            variables: """
              instance_type: {schema: {type: string, default: ml.g5.2xlarge, enum: [ml.g5.2xlarge, ml.p4d.24xlarge]}}
              count: {schema: {type: integer, default: 1, minimum: 1, maximum: 16}}

            """))
        expectClean(report)
    }

    @Test func theTrainingJobNameAndImageAreTheAgentsToFill() {
        // No TrainingJobName, no AlgorithmSpecification (the agent sets the image and File mode).
        expectClean(validate(config("  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}\n")))
    }

    @Test func anUnknownMemberIsAnErrorWithADidYouMean() {
        let report = validate(config("  ResourceConfig:\n    InstanceTyp: ml.g5.2xlarge\n"))
        let found = expectOne(report, .runnerUnknownField, line: 11, column: 5, path: "/resource_config/ResourceConfig/InstanceTyp")
        #expect(found?.hint == "did you mean \"InstanceType\"?")
        // At the root too, after the runner's snake_case → CamelCase.
        #expect(expectOne(validate(config("  resouce_config: {}\n")), .runnerUnknownField, line: 10, column: 3)?.hint == "did you mean \"ResourceConfig\"?")
    }

    @Test func aWrongTypeIsAnError() {
        let report = validate(config("  ResourceConfig:\n    VolumeSizeInGB: lots\n"))
        expectOne(report, .runnerType, line: 11, column: 21, path: "/resource_config/ResourceConfig/VolumeSizeInGB")
    }

    @Test func anInstanceTypeTheAPIDoesNotKnowIsAnError() {
        let report = validate(config("  ResourceConfig:\n    InstanceType: ml.g5.2xlarg\n"))
        let found = expectOne(report, .runnerEnum, line: 11, column: 19, path: "/resource_config/ResourceConfig/InstanceType")
        #expect(found?.hint == "did you mean \"ml.g5.2xlarge\"?")
    }

    @Test func aMissingRequiredMemberIsAnError() {
        let report = validate(config("  AlgorithmSpecification:\n    TrainingImage: x\n"))
        expectOne(report, .runnerRequired, line: 11, path: "/resource_config/AlgorithmSpecification/TrainingInputMode")
        // What another rule already reports is not reported twice.
        let noRole = validate(queueYAML(type: "sagemaker", "resource_config:\n  ResourceConfig: {}\n  OutputDataConfig: {S3OutputPath: s3://b}\n  StoppingCondition: {}\n"))
        expectOne(noRole, .sagemakerRoleArn)
        #expect(diagnostics(noRole, .runnerRequired).isEmpty)
    }

    @Test func valuesOutOfRangeAreErrors() {
        let report = validate(config("  ResourceConfig: {InstanceCount: -1}\n  Environment: {A: \"\(String(repeating: "x", count: 513))\"}\n"))
        #expect(diagnostics(report, .runnerRange).map(\.path.description) == ["/resource_config/ResourceConfig/InstanceCount", "/resource_config/Environment/A"])
        #expect(diagnostics(report, .runnerRange).map { $0.location?.line } == [10, 11])
    }

    @Test func anEnumValueOfAVariableTheAPIDoesNotKnowIsAnErrorNamingTheVariable() {
        let report = validate(config(
            "  ResourceConfig: {InstanceType: \"{{instance_type}}\"}\n",
            variables: "  instance_type: {schema: {type: string, default: ml.g5.2xlarge, enum: [ml.g5.2xlarge, ml.p9.huge]}}\n"))
        let found = expectOne(report, .runnerEnum, line: 10, path: "/resource_config/ResourceConfig/InstanceType")
        #expect(found?.message.hasPrefix("with {{instance_type}} = \"ml.p9.huge\" (one of its enum values)") == true)
        // A count whose minimum is below the API's.
        let count = validate(config(
            "  ResourceConfig: {InstanceCount: \"{{n}}\"}\n", variables: "  n: {schema: {type: integer, default: 1, minimum: -2}}\n"))
        #expect(expectOne(count, .runnerRange)?.message.contains("{{n}} = -2 (its minimum)") == true)
    }
}
