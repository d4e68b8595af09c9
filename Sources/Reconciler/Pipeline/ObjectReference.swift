import Planning

/// One declared object, as plans name it: its kind (`RunQueue`, `Team`, `TeamMember`, `User`, `Project`) and identity.
/// A run scoped to it (`POST /v1/reconcile?kind=&id=`) applies only that object's steps.
public struct ObjectReference: Sendable, Hashable {
    public var kind: String
    public var identity: String

    public init(kind: String, identity: String) {
        self.kind = kind
        self.identity = identity
    }

    /// Whether `step` acts on this object.
    public func matches(_ step: PlanStep) -> Bool {
        step.subject.rawValue == kind && step.identity == identity
    }
}
