import Declarations

/// Compares declarations with what W&B holds and decides what to do. Pure: no I/O.
public struct Planner: Sendable {
    /// Defaults for objects whose declaration leaves a policy out.
    public struct Configuration: Sendable {
        /// `correct` puts drifted objects back; `report` only shows them.
        public var drift: Policy.Drift = .correct
        /// Delete queues on W&B that are no longer declared (a last applied `policy.prune` overrides it per object).
        public var prune = false
        /// Remove members and pending invites on W&B that a declared team does not list (`--prune-members`); off:
        /// they are reported as orphans. Users are never deleted.
        public var pruneMembers = false
        /// Delete a queue that still has pending items (`--allow-nonempty-delete`); off: such a deletion is refused.
        public var allowNonemptyDelete = false
        /// Most objects one plan deletes (`--max-deletions`); `nil`: 5, or 10 % of the managed objects, whichever
        /// is larger. Past it the whole apply is refused.
        public var maxDeletions: Int?
        public init() {}
    }

    /// The project every entity's queues live in.
    public static let launchProject = "model-registry"

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Plans `declarations` against `observed`.
    /// - Parameters:
    ///   - lastApplied: the content hash of each declaration (by step id) when it was last applied successfully,
    ///     from the store; a difference on W&B for an unchanged declaration is drift.
    ///   - appliedPolicies: the policy of each object's last applied declaration (by step id), from the store:
    ///     what decides whether an object whose declaration is gone is deleted or protected.
    public func plan(
        _ declarations: [Declaration], observed: ObservedState, lastApplied: [String: String] = [:], appliedPolicies: [String: AppliedPolicy] = [:]
    ) -> Plan {
        // Each declaration's content hash, computed once: the plan's desired hash and the queues' drift checks use it.
        let hashes = declarations.map(\.contentHash)
        var builder = PlanBuilder(
            declarations: declarations, hashes: hashes, observed: observed, lastApplied: lastApplied, appliedPolicies: appliedPolicies,
            configuration: configuration)
        builder.planUsers()
        builder.planTeams()
        builder.planProjects()
        builder.planQueues()
        let forward = builder.steps.filter { $0.action != .delete }.sorted { $0.subject < $1.subject }
        let deletions = builder.steps.filter { $0.action == .delete }.sorted { $0.subject > $1.subject }
        let desiredHash = ContentHash.sha256(Array(zip(declarations, hashes).map(Self.desiredLine).sorted().joined().utf8))
        let cap = DeletionCap(
            maximum: configuration.maxDeletions, managedObjects: declarations.count + deletions.count, deletions: deletions.map(\.id))
        return Plan(observedHash: observed.hash, desiredHash: desiredHash, scope: observed.scope, steps: forward + deletions, deletionCap: cap)
    }

    /// The queues (`entity/name`) a plan would delete if they held no pending items: the ones whose items the
    /// observer reads (``ObservedState/Queue/pendingItems``) before the plan that counts.
    public func deletionCandidates(
        _ declarations: [Declaration], observed: ObservedState, appliedPolicies: [String: AppliedPolicy] = [:]
    ) -> [(entity: String, name: String)] {
        var builder = PlanBuilder(
            declarations: declarations, hashes: declarations.map { _ in "" }, observed: observed, lastApplied: [:], appliedPolicies: appliedPolicies,
            configuration: configuration)
        builder.planQueues()
        return builder.deletionCandidates
    }
}
