import Declarations

/// Compares declarations with what W&B holds and decides what to do. Pure: no I/O.
public struct Planner: Sendable {
    /// Defaults for objects whose declaration leaves a policy out.
    public struct Configuration: Sendable {
        /// `correct` puts drifted objects back; `report` only shows them.
        public var drift: Policy.Drift = .correct
        /// Delete queues on W&B that are no longer declared.
        public var prune = false
        public init() {}
    }

    /// The project every entity's queues live in.
    public static let launchProject = "model-registry"

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Plans `declarations` against `observed`.
    /// - Parameter lastApplied: the content hash of each declaration (by step id) when it was last applied
    ///   successfully, from the store; a difference on W&B for an unchanged declaration is drift.
    public func plan(_ declarations: [Declaration], observed: ObservedState, lastApplied: [String: String] = [:]) -> Plan {
        // Each declaration's content hash, computed once: the plan's desired hash and the queues' drift checks use it.
        let hashes = declarations.map(\.contentHash)
        var builder = PlanBuilder(
            declarations: declarations, hashes: hashes, observed: observed, lastApplied: lastApplied, configuration: configuration)
        builder.planUsers()
        builder.planTeams()
        builder.planProjects()
        builder.planQueues()
        let forward = builder.steps.filter { $0.action != .delete }.sorted { $0.subject < $1.subject }
        let deletions = builder.steps.filter { $0.action == .delete }.sorted { $0.subject > $1.subject }
        let desiredHash = ContentHash.sha256(Array(zip(declarations, hashes).map { "\($0.kind.rawValue) \($0.identity) \($1)\n" }.sorted().joined().utf8))
        return Plan(observedHash: observed.hash, desiredHash: desiredHash, scope: observed.scope, steps: forward + deletions)
    }
}
