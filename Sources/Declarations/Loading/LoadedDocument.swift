/// One document read from a declaration file.
public struct LoadedDocument: Sendable {
    /// The file it came from.
    public var file: String
    /// Its 0-based position among the file's non-empty documents.
    public var index: Int
    /// The document's root node.
    public var root: Node

    public init(file: String, index: Int, root: Node) {
        self.file = file
        self.index = index
        self.root = root
    }
}

/// What loading produced: the documents read and what went wrong while reading.
public struct LoadResult: Sendable {
    public var documents: [LoadedDocument] = []
    public var diagnostics: [Diagnostic] = []
    /// Files read, for the summary line.
    public var fileCount = 0

    public init() {}
}
