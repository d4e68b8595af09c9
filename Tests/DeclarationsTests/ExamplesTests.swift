import Declarations
import Foundation
import JSON
import Testing

@Suite("The shipped examples and JSON Schema")
struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    @Test func examplesValidateWithoutAnyFinding() {
        let report = Validator().validate(paths: [Self.examples])
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.description))")
        let kinds = Dictionary(grouping: report.declarations, by: \.kind).mapValues(\.count)
        #expect(kinds[.runQueue] == 5)
        #expect(kinds[.user] == 3)
        #expect(kinds[.team] == 1)
        #expect(kinds[.project] == 1)
        #expect(kinds[.policy] == 3)
        let types = Set(report.declarations.compactMap { if case .runQueue(let queue) = $0.object { queue.resourceType } else { nil } })
        #expect(types == Set(ResourceType.allCases))
    }

    @Test func schemaDescribesEveryKindAndField() throws {
        let schema = DeclarationSchema.document
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        let definitions = try #require(schema["$defs"]?.object)
        for kind in Declaration.Kind.allCases {
            let properties = try #require(definitions[kind.rawValue]?["properties"]?.object, "\(kind)")
            #expect(properties["kind"]?["const"] == .string(kind.rawValue))
        }
        // Every top-level field the examples use is in the schema.
        let report = Validator().validate(paths: [Self.examples])
        #expect(!report.declarations.isEmpty)
        let queueFields = Set(try #require(definitions["RunQueue"]?["properties"]?.object).keys)
        for field in ["entity", "name", "resource_type", "prioritization_mode", "resource_config", "template_variables", "external_links", "policy"] {
            #expect(queueFields.contains(field))
        }
        let text = CanonicalJSON.string(schema)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded == schema)
    }
}
