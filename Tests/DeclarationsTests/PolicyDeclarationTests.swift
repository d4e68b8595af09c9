import Declarations
import JSON
import Testing

@Suite("kind: Policy documents")
struct PolicyDeclarationTests {
    @Test func aPolicyIsReadWithItsScopeSeverityAndRules() throws {
        let report = validate(policyYAML(
            "  max_gpus_per_job: 8\n  require_limits: [cpu, memory]\n  allowed_namespaces: [training]\n  allowed_image_prefixes: [\"us-docker.pkg.dev/acme/\"]\n"
                + "  allowed_instance_types: [ml.p4d.24xlarge]\n  required_labels: [team]\n  max_runtime_seconds: 86400\n  required_links: [Runbook]\n  prioritization_mode: V0\n",
            extra: "scope: {entities: [\"vision-*\"], queues: [\"*\"], resource_types: [kubernetes, sagemaker, gcp-vertex]}\nseverity: warning\n"))
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.description))")
        let declaration = try #require(report.declarations.first)
        #expect(declaration.kind == .policy)
        #expect(declaration.identity == "guard")
        guard case .policy(let policy) = declaration.object else { Issue.record("not a policy"); return }
        #expect(policy.severity == .warning)
        #expect(policy.scope == GuardrailPolicy.Scope(entities: ["vision-*"], queues: ["*"], resourceTypes: [.gcpVertex, .kubernetes, .sagemaker]))
        #expect(policy.rules == GuardrailPolicy.Rules(
            maxGPUsPerJob: 8, requireLimits: ["cpu", "memory"], allowedNamespaces: ["training"], allowedImagePrefixes: ["us-docker.pkg.dev/acme/"],
            allowedInstanceTypes: ["ml.p4d.24xlarge"], requiredLabels: ["team"], maxRuntimeSeconds: 86400, requiredLinks: ["Runbook"],
            prioritizationMode: .v0))
    }

    @Test func anUnknownRuleIsAnErrorWithADidYouMean() {
        let report = validate(policyYAML("  max_gpu_per_job: 8\n"))
        let diagnostic = expectOne(report, .fieldUnknown, line: 5, column: 3, path: "/rules/max_gpu_per_job")
        #expect(diagnostic?.hint == "did you mean \"max_gpus_per_job\"?")
    }

    @Test func wrongRuleValuesScopeTypesAndSeverityAreErrors() {
        let report = validate(policyYAML(
            "  max_gpus_per_job: -1\n  require_limits: []\n  allowed_namespaces: training\n  max_runtime_seconds: \"1d\"\n  prioritization_mode: V1\n",
            extra: "scope: {resource_types: [kubernets], entities: []}\nseverity: fatal\n"))
        let paths = report.diagnostics.filter { $0.severity == .error }.map(\.path.description).sorted()
        #expect(paths == [
            "/rules/allowed_namespaces", "/rules/max_gpus_per_job", "/rules/max_runtime_seconds", "/rules/prioritization_mode", "/rules/require_limits",
            "/scope/entities", "/scope/resource_types/0", "/severity",
        ], "\(report.diagnostics.map(\.description))")
        #expect(report.diagnostics.first { $0.path.description == "/scope/resource_types/0" }?.hint == "did you mean \"kubernetes\"?")
    }

    @Test func aPolicyNeedsANameAndRulesAndWarnsWhenItHasNone() {
        let missing = validate("apiVersion: launchq/v1\nkind: Policy\n")
        #expect(diagnostics(missing, .fieldRequired).map(\.path.description).sorted() == ["/name", "/rules"])
        expectOne(validate(policyYAML("  {}\n")), .policyEmpty, severity: .warning)
    }

    @Test func twoPoliciesWithOneNameAreADuplicate() {
        let report = validate(policyYAML("  max_gpus_per_job: 1\n") + policyYAML("  max_gpus_per_job: 2\n"))
        expectOne(report, .identityDuplicate)
    }

    @Test func theCanonicalFormReadsBackToTheSameHash() throws {
        let text = policyYAML(
            "  required_labels: [team, cost-center, team]\n  max_gpus_per_job: 4\n  prioritization_mode: V0\n",
            extra: "scope: {resource_types: [sagemaker, kubernetes], entities: [b, a]}\n")
        let declaration = try #require(validate(text).declarations.first)
        guard case .object(var members) = declaration.canonical else { Issue.record("not an object"); return }
        #expect(members["kind"] == "Policy")
        #expect(members["rules"]?["required_labels"] == ["cost-center", "team"])
        #expect(members["scope"]?["resource_types"] == ["kubernetes", "sagemaker"])
        members["apiVersion"] = "launchq/v1"
        let again = validate(CanonicalJSON.string(.object(members)), file: "stored.json")
        #expect(again.errorCount == 0, "\(again.diagnostics.map(\.description))")
        #expect(again.declarations.first?.contentHash == declaration.contentHash)
        #expect(again.declarations.first?.object == declaration.object)
    }

    @Test func theScopeChoosesQueuesByEntityGlobQueueGlobAndResourceType() {
        let rule = "  prioritization_mode: V0\n"
        let queue = queueYAML("resource_config: {}\n")  // ml-platform/q1, kubernetes, DISABLED
        #expect(policyFindings(policyYAML(rule), queue).count == 1)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {entities: [\"ml-*\"]}\n"), queue).count == 1)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {entities: [\"vision-*\", \"ml-plat?orm\"]}\n"), queue).count == 1)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {entities: [\"vision-*\"]}\n"), queue).isEmpty)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {queues: [\"q*\"]}\n"), queue).count == 1)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {queues: [\"prod-*\"]}\n"), queue).isEmpty)
        #expect(policyFindings(policyYAML(rule, extra: "scope: {resource_types: [sagemaker]}\n"), queue).isEmpty)
    }

    @Test func severityDecidesWhetherAViolationIsAnErrorOrAWarning() throws {
        let queue = queueYAML("resource_config: {}\n")
        let error = validate(policyYAML("  prioritization_mode: V0\n", name: "modes") + queue)
        let diagnostic = try #require(expectOne(error, .policyPrioritizationMode, line: 7, column: 1, path: "/prioritization_mode"))
        #expect(!error.isValid(strict: false))
        #expect(diagnostic.message == "queue ml-platform/q1 breaks policy \"modes\" (prioritization_mode): prioritization_mode is DISABLED; the policy requires V0")
        #expect(diagnostic.hint == "policy \"modes\" is declared at test.yaml:1:1")
        let warning = validate(policyYAML("  prioritization_mode: V0\n", extra: "severity: warning\n") + queue)
        expectOne(warning, .policyPrioritizationMode, severity: .warning)
        #expect(warning.isValid(strict: false))
        #expect(!warning.isValid(strict: true))
    }
}
