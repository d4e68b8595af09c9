import Declarations
import JSON
import Testing

@Suite("Rendering a queue's config")
struct RenderTests {
    let text = queueYAML(
        """
        resource_config:
          gpus: "{{gpus}}"
          ratio: "{{ratio}}"
          label: "gpu-{{gpus}}-{{ratio}}"
          image: "{{image}}"
          macro: "${run_id}"
        template_variables:
          gpus: {schema: {type: integer, default: 1, minimum: 1, maximum: 8}}
          ratio: {schema: {type: number, default: 0.5}}
          image: {schema: {type: string, enum: [a, b]}}

        """)

    func render(_ values: [String: String]) throws -> Result<JSONValue, RenderError> {
        let report = validate(text)
        guard case .runQueue(let queue)? = report.declarations.first?.object else { throw RenderTestError.noQueue }
        return TemplateRenderer(location: report.declarations[0].location).render(queue, values: values)
    }

    enum RenderTestError: Error { case noQueue }

    @Test func wholePlaceholdersOfNumbersRenderAsNumbersAndDefaultsFill() throws {
        let config = try render(["image": "b"]).get()
        #expect(config["gpus"] == .integer(1))
        #expect(config["ratio"] == .number(0.5))
        #expect(config["label"] == .string("gpu-1-0.5"))
        #expect(config["image"] == .string("b"))
        #expect(config["macro"] == .string("${run_id}"))
        let given = try render(["image": "a", "gpus": "4", "ratio": "2"]).get()
        #expect(given["gpus"] == .integer(4))
        #expect(given["ratio"] == .integer(2))
        // Equality compares numbers by value: check the form too (whole numbers render as integers).
        for value in [config["gpus"], given["gpus"], given["ratio"]] {
            if case .integer? = value {} else { Issue.record("\(String(describing: value)) is not an integer") }
        }
        #expect(CanonicalJSON.string(given) == #"{"gpus":4,"image":"a","label":"gpu-4-2","macro":"${run_id}","ratio":2}"#)
    }

    @Test func badValuesAreRefusedLikeValidationErrors() throws {
        guard case .failure(let error) = try render(["image": "c", "gpus": "9", "ratio": "x", "gpu": "1"]) else {
            Issue.record("expected failure")
            return
        }
        let byPath = Dictionary(grouping: error.diagnostics, by: { $0.path.description })
        #expect(byPath["/template_variables/image"]?.first?.code == .renderValue)
        #expect(byPath["/template_variables/gpus"]?.first?.message.contains("above the maximum 8") == true)
        #expect(byPath["/template_variables/ratio"]?.first?.code == .renderValue)
        #expect(byPath["/template_variables/gpu"]?.first?.hint == "did you mean \"gpus\"?")
        #expect(error.diagnostics.allSatisfy { $0.location?.line == 1 && $0.location?.file == "test.yaml" })
    }

    @Test func aVariableWithNoValueAndNoDefaultIsMissing() throws {
        guard case .failure(let error) = try render([:]) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.diagnostics.map(\.code) == [.renderMissing])
    }
}
