import Declarations

/// What apply would do: steps in apply order, and the W&B state they were planned against.
public struct Plan: Sendable, Codable, Equatable {
    /// The saved-plan format; a plan of another version is refused (``read(saved:)``).
    /// 2: steps carry a typed `write`; 1 (launchq before the typed payload) had only `desired`.
    public static let formatVersion = 2

    public var formatVersion: Int
    /// Hash of the W&B state observed when planning; a saved plan is stale when W&B no longer hashes the same.
    public var observedHash: String
    /// Hash of the declarations planned from.
    public var desiredHash: String
    /// What was read from W&B to make this plan; a saved plan re-reads the same to check it is not stale.
    public var scope: ObservationScope
    /// Creates, updates and reports first (users → teams → members → projects → queues), then deletions in reverse.
    public var steps: [PlanStep]
    /// How many objects this plan may delete, and which it would; past the cap nothing is applied.
    public var deletionCap: DeletionCap

    public init(observedHash: String, desiredHash: String, scope: ObservationScope, steps: [PlanStep], deletionCap: DeletionCap? = nil) {
        self.formatVersion = Self.formatVersion
        self.scope = scope
        self.observedHash = observedHash
        self.desiredHash = desiredHash
        self.steps = steps
        self.deletionCap = deletionCap ?? DeletionCap(maximum: nil, managedObjects: 0, deletions: steps.filter { $0.action == .delete }.map(\.id))
    }

    /// How many steps of each action.
    public func count(_ action: PlanStep.Action) -> Int { steps.count { $0.action == action } }

    /// Whether apply would write anything to W&B.
    public var hasChanges: Bool { steps.contains { $0.action.changesWandb } }

    /// Whether some step cannot be done, or the plan deletes more than its cap (then nothing is applied).
    public var hasRefusals: Bool { deletionCap.exceeded || steps.contains { $0.action == .refused } }

    /// `Plan: N to create, M to update, K to delete.`
    public var summary: String {
        "Plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete."
    }
}

extension Plan {
    enum CodingKeys: String, CodingKey {
        case formatVersion, observedHash, desiredHash, scope, steps, deletionCap
    }

    /// Reads a plan; one saved before the deletion cap existed gets the default cap over its delete steps.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            observedHash: try container.decode(String.self, forKey: .observedHash), desiredHash: try container.decode(String.self, forKey: .desiredHash),
            scope: try container.decode(ObservationScope.self, forKey: .scope), steps: try container.decode([PlanStep].self, forKey: .steps),
            deletionCap: try container.decodeIfPresent(DeletionCap.self, forKey: .deletionCap))
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
    }

    /// The ids of the deleting steps (every kind of object).
    public var deletionIDs: [String] { steps.filter { $0.action == .delete }.map(\.id) }
}
