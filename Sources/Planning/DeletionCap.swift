/// How many objects one plan may delete, and what it would delete. Past the cap the whole apply is refused
/// (``Plan/hasRefusals``), with the list, until the cap is raised for that run.
public struct DeletionCap: Sendable, Codable, Equatable {
    /// The smallest default cap.
    public static let minimumDefault = 5

    /// Most deletions allowed in this plan.
    public var limit: Int
    /// Whether ``limit`` was given (`--max-deletions`) rather than the default.
    public var explicit: Bool
    /// Objects launchq manages in this plan: the declared ones and the ones it would delete.
    public var managedObjects: Int
    /// The deleting steps' ids, in plan order (every kind of object counts).
    public var deletions: [String]

    public init(limit: Int = minimumDefault, explicit: Bool = false, managedObjects: Int = 0, deletions: [String] = []) {
        self.limit = limit
        self.explicit = explicit
        self.managedObjects = managedObjects
        self.deletions = deletions
    }

    /// The cap for a plan: `maximum` when given, else 5 or 10 % of the managed objects, whichever is larger.
    public init(maximum: Int?, managedObjects: Int, deletions: [String]) {
        self.init(
            limit: maximum ?? Self.defaultLimit(managedObjects: managedObjects), explicit: maximum != nil, managedObjects: managedObjects,
            deletions: deletions)
    }

    /// 5, or 10 % of `managedObjects` (rounded down), whichever is larger.
    public static func defaultLimit(managedObjects: Int) -> Int { max(minimumDefault, managedObjects / 10) }

    /// Whether the plan deletes more than it may: then nothing at all is applied.
    public var exceeded: Bool { deletions.count > limit }

    /// The same deletions under another run's cap (`launchq apply --plan` with its own `--max-deletions`).
    public func with(maximum: Int?) -> DeletionCap {
        DeletionCap(maximum: maximum, managedObjects: managedObjects, deletions: deletions)
    }

    /// `--max-deletions 5` or `the default cap 5 (5, or 10% of 60 managed objects)`.
    public var limitDescription: String {
        explicit
            ? "--max-deletions \(limit)"
            : "the default cap \(limit) (\(Self.minimumDefault), or 10% of \(managedObjects) managed objects, whichever is larger)"
    }
}
