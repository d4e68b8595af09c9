import Declarations
import Hummingbird
import JSON

/// `POST /v1/validate`: validates a bundle (the body of `POST /v1/revisions`) and stores nothing.
struct ValidateController {
    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.post("validate", use: validate)
    }

    @Sendable func validate(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let bundle = try await JSONBody.decode(Bundle.self, from: request)
        let report = try bundle.validate()
        return Representation.response(.object([
            "valid": .bool(report.isValid(strict: false)), "summary": .string(report.summary), "errors": .integer(report.errorCount),
            "warnings": .integer(report.warningCount), "declarations": .integer(report.declarations.count),
            "contentHash": .string(report.contentHash), "diagnostics": report.diagnosticsJSON,
        ]))
    }
}
