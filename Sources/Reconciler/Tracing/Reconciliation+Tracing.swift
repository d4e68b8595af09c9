import Declarations
import Tracing

extension Reconciliation {
    /// Runs one reconciliation of `declarations` as `request` says; throws when W&B cannot be read.
    ///
    /// The run is one span, "reconcile", the parent of its W&B requests' and database calls' spans. It holds the number
    /// of declarations, the rounds and how the run ended; never a declaration's content.
    public func run(_ declarations: [Declaration], _ request: Request = Request()) async throws -> Result {
        try await withSpan("reconcile") { span in
            span.attributes["launchq.declarations"] = declarations.count
            if let object = request.object { span.attributes["launchq.object"] = "\(object.kind) \(object.identity)" }
            let result = try await runWithoutSpan(declarations, request)
            span.attributes["launchq.reconcile.ending"] = result.ending.rawValue
            span.attributes["launchq.reconcile.rounds"] = result.rounds.count
            return result
        }
    }
}
