import Declarations
import Testing

@Suite("Placeholders and macros")
struct PlaceholderTests {
    let variables = "template_variables:\n  gpus:\n    schema: {type: integer, default: 1}\n"
    // Configs below whose keys are not a Job's are custom objects (`apiVersion: example.com/v1`, in flow style where the
    // lines must stay put): the Job schema does not judge them (RunnerSchemaKubernetesTests does that).

    @Test func declaredPlaceholdersAreClean() {
        expectClean(validate(queueYAML("resource_config:\n  apiVersion: example.com/v1\n  a: \"{{gpus}}\"\n  b: \"x-{{ gpus }}-y\"\n" + variables)))
    }

    @Test func undeclaredPlaceholderNamesTheCloseOne() {
        let report = validate(queueYAML("resource_config:\n  limits:\n    nvidia.com/gpu: \"{{gpu}}\"\n" + variables))
        let diagnostic = expectOne(report, .templateUndeclared, line: 8, column: 21, path: "/resource_config/limits/nvidia.com~1gpu")
        #expect(diagnostic?.hint == "did you mean \"gpus\"?")
        #expect(diagnostic?.description.contains("test.yaml:8:21: error[template.undeclared]") == true)
    }

    @Test func unusedVariablesAreWarnings() {
        let report = validate(queueYAML("resource_config: {apiVersion: example.com/v1,\n  a: 1}\n" + variables))
        expectOne(report, .templateUnused, line: 9, column: 3, path: "/template_variables/gpus", severity: .warning)
        #expect(report.isValid(strict: false))
        #expect(!report.isValid(strict: true))
    }

    @Test func placeholdersInKeysAreErrors() {
        expectOne(validate(queueYAML("resource_config:\n  \"{{gpus}}\": 1\n" + variables)), .templateInKey, line: 7, column: 3)
    }

    @Test(arguments: [
        ("\"{{gpus\"", Diagnostic.Code.templateSyntax),
        ("\"{{ }}\"", .templateSyntax),
        ("\"a }} b\"", .templateSyntax),
        ("\"{{#if gpus}}x{{/if}}\"", .templateUnsupported),
        ("\"{{> partial}}\"", .templateUnsupported),
        ("\"{{!comment}}\"", .templateUnsupported),
        ("\"{{{gpus}}}\"", .templateUnsupported),
        ("\"{{lookup gpus 1}}\"", .templateUnsupported),
        ("\"{{gpus.count}}\"", .templateUnsupported),
    ])
    func handlebarsBeyondPlainVariablesIsRefused(value: String, code: Diagnostic.Code) {
        let report = validate(queueYAML("resource_config:\n  a: \(value)\n  b: \"{{gpus}}\"\n" + variables))
        #expect(diagnostics(report, code).count >= 1, "\(value): \(report.diagnostics.map(\.description))")
        #expect(diagnostics(report, code).first?.location?.line == 7)
    }

    @Test func macros() {
        let agent = validate(queueYAML("resource_config: {apiVersion: example.com/v1,\n  a: \"${project_name}-${run_id}\"}\n"))
        expectClean(agent)
        let environment = validate(queueYAML("resource_config: {apiVersion: example.com/v1,\n  a: \"${MY_BUCKET}\"}\n"))
        expectOne(environment, .macroEnvironment, line: 7, column: 6, severity: .note)
        #expect(environment.errorCount == 0)
        #expect(environment.warningCount == diagnostics(environment, .referenceEntity).count)
        let malformed = validate(queueYAML("resource_config:\n  a: \"${not-a-word}\"\n"))
        expectOne(malformed, .macroMalformed, line: 7, column: 6, severity: .warning)
    }
}
