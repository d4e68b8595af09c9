/// Which objects a listing covers: any combination of one kind, one state and one W&B entity (`nil`: any).
public struct ObjectFilter: Sendable, Hashable {
    /// Only this kind (`RunQueue`, `Team`, `User`, `Project`).
    public var kind: String?
    /// Only objects in this state.
    public var state: ObjectState?
    /// Only objects of this entity: the team named so, and queues and projects whose identity is `entity/…`
    /// (users belong to no one entity and never match).
    public var entity: String?

    public init(kind: String? = nil, state: ObjectState? = nil, entity: String? = nil) {
        self.kind = kind
        self.state = state
        self.entity = entity
    }
}
