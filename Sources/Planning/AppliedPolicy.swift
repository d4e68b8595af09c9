import Declarations

/// The parts of a declaration's `policy` that decide what happens to its object once the declaration is gone:
/// the policy of the last applied declaration, which the store remembers (``Planner/plan(_:observed:lastApplied:appliedPolicies:)``).
public struct AppliedPolicy: Sendable, Codable, Equatable, Hashable {
    /// `policy.prune`: delete the object when its declaration goes away (`nil`: the global setting decides).
    public var prune: Bool?
    /// `policy.protect`: launchq never deletes the object nor makes an irreversible change to it.
    public var protect: Bool

    public init(prune: Bool? = nil, protect: Bool = false) {
        self.prune = prune
        self.protect = protect
    }

    /// A declaration's policy.
    public init(_ policy: Policy) {
        self.init(prune: policy.prune, protect: policy.protect ?? false)
    }
}
