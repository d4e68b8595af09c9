/// How many objects a filter covers in each state, and a fingerprint of every listed field of those objects.
public struct ObjectSummary: Sendable, Hashable {
    /// Objects per state (states with none are absent).
    public var counts: [ObjectState: Int]
    /// Changes whenever an object is added to or removed from the filter, or any field a listing shows changes
    /// (kind, identity, hashes, W&B id, state, last error, attempts, last reconciled): hex text, 32 characters.
    public var fingerprint: String
    /// The objects' change counter (``ObjectStatusRepository/version()``) in the snapshot these figures come from.
    public var version: Int64

    /// Every object the filter covers.
    public var total: Int { counts.values.reduce(0, +) }

    public init(counts: [ObjectState: Int], fingerprint: String, version: Int64 = 0) {
        self.counts = counts
        self.fingerprint = fingerprint
        self.version = version
    }
}
