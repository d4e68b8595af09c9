import Declarations
import Hummingbird
import JSON

/// `POST /v1/validate`: validates a bundle (the body of `POST /v1/revisions`) and stores nothing.
struct ValidateController {
    /// The Kubernetes version whose Job schema checks `kubernetes` resource configs.
    var kubernetesVersion: KubernetesVersion = .newest

    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.post("validate", use: validate)
    }

    @Sendable func validate(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let bundle = try await JSONBody.decode(Bundle.self, from: request)
        let report = try bundle.validate(kubernetesVersion: kubernetesVersion)
        return Representation.response(.object([
            "valid": .bool(report.isValid(strict: false)), "summary": .string(report.summary), "errors": .integer(report.errorCount),
            "warnings": .integer(report.warningCount), "declarations": .integer(report.declarations.count),
            "contentHash": .string(report.contentHash), "diagnostics": report.diagnosticsJSON,
        ]))
    }
}
