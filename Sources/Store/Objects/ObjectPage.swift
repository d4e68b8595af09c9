/// One page of a listing of objects, in (kind, identity) order, without their observed state.
public struct ObjectPage: Sendable, Hashable {
    /// The objects of this page; ``ObjectStatus/observedState`` is always `nil` here.
    public var objects: [ObjectStatus]
    /// The key to pass as `after` for the next page (the last object of this one), `nil` on the last page.
    public var next: ObjectKey?

    public init(objects: [ObjectStatus], next: ObjectKey?) {
        self.objects = objects
        self.next = next
    }
}
