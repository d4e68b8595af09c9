/// Where `serve` reads declaration files from: a directory, or a git branch kept checked out.
///
/// A source hands out a ``SourceSnapshot``: the raw files (not yet parsed) and where they came from.
/// Parsing, validation and the 1 MiB per-file limit belong to `DeclarationLoader`, which the caller runs
/// over ``SourceSnapshot/files`` with `load(contents:file:into:)`.
public protocol DeclarationSource: Sendable {
    /// `"directory"` or `"git"`, as recorded in snapshots.
    var kind: String { get }
    /// The directory path, or the repository URL (credentials redacted) and branch as `url@branch`: safe to show.
    var location: String { get }

    /// Reads the declaration files as they are now.
    ///
    /// Throws a ``SourceError`` naming the path or repository and the reason.
    func snapshot() async throws -> SourceSnapshot
}

/// The declaration files of a source at one moment, and their provenance.
public struct SourceSnapshot: Sendable {
    /// Declaration files (`*.yaml`, `*.yml`, `*.json`), paths relative to the source root, sorted by path.
    public var files: [(path: String, contents: [UInt8])]
    /// `"directory"` or `"git"` (the kinds of `Store.RevisionSource`).
    public var kind: String
    /// The directory path, or the repository URL (credentials redacted) and branch as `url@branch`.
    public var location: String
    /// The commit checked out (`git rev-parse HEAD`), for git sources.
    public var commit: String?
    /// The commit's author as `Name <email>`, for git sources.
    public var author: String?

    public init(
        files: [(path: String, contents: [UInt8])], kind: String, location: String, commit: String? = nil, author: String? = nil
    ) {
        self.files = files
        self.kind = kind
        self.location = location
        self.commit = commit
        self.author = author
    }
}
