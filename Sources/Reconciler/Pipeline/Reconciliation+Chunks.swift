import Declarations
import Planning
import WandbAPI
import WandbModel

extension Reconciliation {
    /// Entities observed and planned together when a fleet is planned in chunks (``planFleet(_:lastApplied:appliedPolicies:)``):
    /// ``entitiesPerChunk``, else the W&B client's batch size (`--wandb-batch-size`: one read request per chunk).
    public var chunkSize: Int { max(1, entitiesPerChunk ?? observer.client.configuration.batchSize) }

    /// Plans the whole fleet as ``plan(_:lastApplied:appliedPolicies:)`` does, holding one chunk of entities' observed
    /// JSON at a time (issue 13): the users are looked up once, then each chunk of ``chunkSize`` entities is read,
    /// its deletion candidates' pending items read, planned and slimmed (``FleetPlan``). The plan is the same one
    /// plan of the fleet (steps, order, hashes, the deletion cap counted over every chunk); the observation returned
    /// is slimmed (``ObservedState/slimmed()``): enough to apply the plan and record it, not to plan from.
    /// A fleet of at most ``chunkSize`` entities is planned in one piece.
    public func planFleet(
        _ declarations: [Declaration], lastApplied: [String: String] = [:], appliedPolicies: [String: AppliedPolicy] = [:]
    ) async throws -> (Plan, ObservedState) {
        let chunks = FleetPlan.chunks(of: declarations, entitiesPerChunk: chunkSize)
        guard chunks.count > 1 else { return try await plan(declarations, lastApplied: lastApplied, appliedPolicies: appliedPolicies) }
        let users = try await observer.observe(ObservationScope(users: ObservationScope(declarations).users)).users
        var fleet = FleetPlan(declarations: declarations, users: users, planner: planner)
        var viewer: ObservedUser?
        for chunk in chunks {
            var observed = try await observer.observe(ObservationScope(entities: chunk.entities), viewer: viewer)
            observed.users = users
            viewer = viewer ?? observed.viewer
            let candidates = planner.deletionCandidates(chunk.declarations, observed: observed, appliedPolicies: appliedPolicies)
            try await observer.readPendingItems(of: candidates, into: &observed)
            fleet.add(chunk, observed: observed, lastApplied: lastApplied, appliedPolicies: appliedPolicies)
        }
        return fleet.finish()
    }
}
