/// What a reconcile request may relax, for its own run only: deleting queues that still hold items, and the most
/// deletions one plan may make (`nil`: the service's setting).
public struct DeletionOverrides: Sendable, Hashable, Codable {
    public var allowNonemptyDelete: Bool
    public var maxDeletions: Int?

    public init(allowNonemptyDelete: Bool = false, maxDeletions: Int? = nil) {
        self.allowNonemptyDelete = allowNonemptyDelete
        self.maxDeletions = maxDeletions
    }

    /// Nothing relaxed: the service's settings decide.
    public static let none = DeletionOverrides()
}
