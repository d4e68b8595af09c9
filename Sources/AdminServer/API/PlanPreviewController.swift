import Foundation
import Declarations
import Hummingbird
import JSON
import Planning
import Reconciler
import Store

/// `POST /v1/plan`: previews a bundle (the body of `POST /v1/revisions`) against W&B now and stores nothing.
///
/// The bundle goes through the same decoding, path rules and validation as a push (400 `invalid_bundle` with
/// diagnostics); the plan uses the service's planner settings and the last-applied hashes it has recorded, so it
/// shows what a push of this bundle would do. A preview is not a revision: it works also when a `--source` owns the
/// desired state, and writes nothing to the database or to W&B.
struct PlanPreviewController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.post("plan", use: AdminServer.timed(preview))
    }

    @Sendable func preview(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let bundle = try await JSONBody.decode(Bundle.self, from: request)
        let report = try bundle.validated(kubernetesVersion: services.configuration.kubernetesVersion)
        let plan: Plan
        do {
            plan = try await services.runner.reconciliation(revision: nil).preview(report.declarations)
        } catch let error as StoreError {
            throw error
        } catch {
            throw APIError(.wandbFailed, status: .badGateway, message: "could not plan against W&B: \(ReconcileRunner.describe(error))")
        }
        let encoded = try JSONEncoder().encode(plan)
        return Representation.response(.object([
            "summary": .string(plan.summary), "hasChanges": .bool(plan.hasChanges), "hasRefusals": .bool(plan.hasRefusals),
            "text": .string(plan.text), "plan": Representation.parsed(String(decoding: encoded, as: UTF8.self)),
            "contentHash": .string(report.contentHash), "declarations": .integer(report.declarations.count),
            "warnings": report.warningCount > 0 ? report.diagnosticsJSON : .array([]),
        ]))
    }
}
