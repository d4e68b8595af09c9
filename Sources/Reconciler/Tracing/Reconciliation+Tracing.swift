import Declarations
import Tracing

extension Reconciliation {
    /// Runs one reconciliation of `declarations` as `request` says; throws when W&B cannot be read.
    ///
    /// The run is one span, "reconcile", the parent of its W&B requests' and database calls' spans. It holds the number
    /// of declarations, the rounds and how the run ended; never a declaration's content.
    public func run(_ declarations: [Declaration], _ request: Request = Request()) async throws -> Result {
        try await traced(declarations: declarations.count, request) { try await runWithoutSpan(declarations, request) }
    }

    /// Runs one reconciliation of `fleet` a chunk of entities at a time (``runFleetWithoutSpan(_:_:)``), in the same
    /// "reconcile" span as ``run(_:_:)``.
    public func run(fleet: FleetDeclarations, _ request: Request = Request()) async throws -> Result {
        try await traced(declarations: fleet.count, request) { try await runFleetWithoutSpan(fleet, request) }
    }

    private func traced(declarations: Int, _ request: Request, _ body: () async throws -> Result) async throws -> Result {
        try await withSpan("reconcile") { span in
            span.attributes["launchq.declarations"] = declarations
            if let object = request.object { span.attributes["launchq.object"] = "\(object.kind) \(object.identity)" }
            let result = try await body()
            span.attributes["launchq.reconcile.ending"] = result.ending.rawValue
            span.attributes["launchq.reconcile.rounds"] = result.rounds.count
            return result
        }
    }
}
