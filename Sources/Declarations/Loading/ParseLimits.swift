/// Limits that protect launchq from hostile input; enforced while parsing, not after.
public struct ParseLimits: Sendable, Equatable {
    /// Largest file accepted, in bytes. Default 1 MiB.
    public var maxFileBytes: Int = 1 << 20
    /// Deepest nesting of mappings and lists in one document. Default 64.
    public var maxDepth: Int = 64
    /// Most nodes that aliases may expand to in one document ("billion laughs"). Default 10,000.
    public var maxAliasExpansion: Int = 10_000

    public init() {}
}
