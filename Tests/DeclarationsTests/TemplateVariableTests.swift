import Declarations
import Testing

@Suite("Template variable rules")
struct TemplateVariableTests {
    /// A kubernetes queue (a custom object, which the Job schema does not judge) whose config uses `{{v}}` and whose
    /// variable `v` has `schema`.
    func queue(schema: String, name: String = "v") -> String {
        queueYAML("resource_config: {apiVersion: example.com/v1,\n  x: \"{{\(name)}}\"}\ntemplate_variables:\n  \(name):\n    schema: \(schema)\n")
    }

    @Test func acceptedSchemas() {
        expectClean(validate(queue(schema: "{type: integer, default: 1, minimum: 1, maximum: 8}")))
        expectClean(validate(queue(schema: "{type: number, default: 0.5, minimum: 0, maximum: 1.5}")))
        expectClean(validate(queue(schema: "{type: string, default: a, enum: [a, b]}")))
        expectClean(validate(queue(schema: "{type: integer, enum: [1, 2, 4]}", name: "gpu_count-2")))
    }

    @Test func names() {
        expectOne(validate(queue(schema: "{type: string}", name: "2gpus")), .templateVariableName, line: 9, column: 3)
        expectOne(validate(queue(schema: "{type: string}", name: "_" + String(repeating: "a", count: 64))), .templateVariableName)
    }

    @Test func typeIsRequiredAndLimited() {
        expectOne(validate(queue(schema: "{default: 1}")), .templateSchemaType, line: 10, column: 13, path: "/template_variables/v/schema/type")
        let float = expectOne(validate(queue(schema: "{type: float}")), .templateSchemaType, line: 10, column: 20)
        #expect(float?.hint == "use \"number\"")
        let text = queueYAML("resource_config:\n  x: \"{{v}}\"\ntemplate_variables:\n  v: {description: d}\n")
        expectOne(validate(text), .fieldRequired, path: "/template_variables/v/schema")
    }

    @Test func onlyKnownSchemaFields() {
        let report = validate(queue(schema: "{type: string, pattern: \"^a\"}"))
        expectOne(report, .templateSchemaField, line: 10, column: 28, path: "/template_variables/v/schema/pattern")
        let misplaced = validate(queue(schema: "{type: string, description: d}"))
        expectOne(misplaced, .templateSchemaField)
        let beside = queueYAML("resource_config:\n  x: \"{{v}}\"\ntemplate_variables:\n  v:\n    description: d\n    title: t\n    schema: {type: string}\n")
        expectOne(validate(beside), .fieldUnknown, path: "/template_variables/v/title")
    }

    @Test func bounds() {
        expectOne(validate(queue(schema: "{type: string, minimum: 1}")), .templateBounds, path: "/template_variables/v/schema/minimum")
        expectOne(validate(queue(schema: "{type: integer, maximum: 1.5}")), .templateBounds, path: "/template_variables/v/schema/maximum")
        expectOne(validate(queue(schema: "{type: number, maximum: \"9\"}")), .templateBounds)
        expectOne(validate(queue(schema: "{type: integer, minimum: 5, maximum: 1}")), .templateBounds, line: 10, column: 38)
        expectClean(validate(queue(schema: "{type: integer, minimum: 5, maximum: 5}")))
    }

    @Test func enums() {
        expectOne(validate(queue(schema: "{type: string, enum: []}")), .templateEnum)
        expectOne(validate(queue(schema: "{type: string, enum: [a, a]}")), .templateEnum, path: "/template_variables/v/schema/enum/1")
        expectOne(validate(queue(schema: "{type: integer, enum: [1, two]}")), .templateEnum, path: "/template_variables/v/schema/enum/1")
        expectOne(validate(queue(schema: "{type: integer, maximum: 4, enum: [1, 8]}")), .templateEnum, path: "/template_variables/v/schema/enum/1")
        expectOne(validate(queue(schema: "{type: integer, enum: [1, 1.0]}")), .templateEnum)
    }

    @Test func defaults() {
        expectOne(validate(queue(schema: "{type: integer, default: \"1\"}")), .templateDefault, line: 10, column: 38)
        expectOne(validate(queue(schema: "{type: integer, default: 9, maximum: 8}")), .templateDefault)
        expectOne(validate(queue(schema: "{type: number, default: -1, minimum: 0}")), .templateDefault)
        expectOne(validate(queue(schema: "{type: string, default: c, enum: [a, b]}")), .templateDefault)
        expectOne(validate(queue(schema: "{type: integer, default: 1.5}")), .templateDefault)
        expectClean(validate(queue(schema: "{type: number, default: 2}")))
    }
}
