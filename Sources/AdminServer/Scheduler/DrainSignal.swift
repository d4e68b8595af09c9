import Synchronization

/// Set once when the service is asked to stop (or loses its lease); read by a running reconciliation between steps.
public final class DrainSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { flag.load(ordering: .acquiring) }
    public func set() { flag.store(true, ordering: .releasing) }
}
