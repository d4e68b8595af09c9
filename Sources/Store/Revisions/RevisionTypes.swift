import Foundation

/// A revision number: `n` in `/v1/revisions/{n}`, increasing with every stored revision.
public typealias RevisionNumber = Int64

/// Where a revision's declarations came from.
public struct RevisionSource: Sendable, Hashable, Codable {
    /// `"directory"`, `"git"` or `"api"`.
    public var kind: String
    /// A directory path, a repository URL (plus ref) or the API client that pushed it.
    public var location: String
    /// The git commit, when the source is a git repository.
    public var commit: String?
    /// Who made the change (commit author, token name, user).
    public var author: String?

    /// The source kinds the schema accepts.
    public static let kinds: Set<String> = ["directory", "git", "api"]

    public init(kind: String, location: String, commit: String? = nil, author: String? = nil) {
        self.kind = kind
        self.location = location
        self.commit = commit
        self.author = author
    }
}

/// One validated declaration inside a revision, with where it was declared.
public struct DeclarationRecord: Sendable, Hashable, Codable {
    /// `RunQueue`, `Team`, `User` or `Project`.
    public var kind: String
    /// The object's identity within its kind (for example `entity/queue-name`).
    public var identity: String
    /// Hash of the normalised declaration; equal hashes mean no change.
    public var contentHash: String
    /// The canonical JSON text of the declaration; stored and returned byte for byte.
    public var document: String
    /// Source file, line and column of the declaration.
    public var file: String
    public var line: Int
    public var column: Int

    public init(kind: String, identity: String, contentHash: String, document: String, file: String, line: Int, column: Int) {
        self.kind = kind
        self.identity = identity
        self.contentHash = contentHash
        self.document = document
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A revision about to be stored.
public struct RevisionDraft: Sendable, Hashable {
    public var source: RevisionSource
    /// Hash over the whole bundle; a draft whose hash equals the current revision's is not stored again.
    public var contentHash: String
    public var declarations: [DeclarationRecord]

    public init(source: RevisionSource, contentHash: String, declarations: [DeclarationRecord]) {
        self.source = source
        self.contentHash = contentHash
        self.declarations = declarations
    }

    /// Checks what the database cannot express nicely: known source kind, unique (kind, identity).
    public func validate() throws {
        guard RevisionSource.kinds.contains(source.kind) else {
            throw StoreError(
                code: .invalidRevision,
                message: "revision source kind '\(source.kind)' is not one of \(RevisionSource.kinds.sorted().joined(separator: ", "))")
        }
        var seen: [ObjectKey: DeclarationRecord] = [:]
        for declaration in declarations {
            let key = ObjectKey(kind: declaration.kind, identity: declaration.identity)
            if let first = seen[key] {
                throw StoreError(
                    code: .invalidRevision,
                    message: "\(declaration.file):\(declaration.line):\(declaration.column): \(key) is declared twice "
                        + "(first at \(first.file):\(first.line):\(first.column))")
            }
            seen[key] = declaration
        }
    }
}

/// A stored revision's metadata (without its declarations).
public struct Revision: Sendable, Hashable, Codable {
    public var number: RevisionNumber
    public var source: RevisionSource
    public var createdAt: Date
    public var contentHash: String
    public var declarationCount: Int

    public init(number: RevisionNumber, source: RevisionSource, createdAt: Date, contentHash: String, declarationCount: Int) {
        self.number = number
        self.source = source
        self.createdAt = createdAt
        self.contentHash = contentHash
        self.declarationCount = declarationCount
    }
}

/// A revision with all its declarations, in the order they were stored.
public struct DesiredState: Sendable, Hashable {
    public var revision: Revision
    public var declarations: [DeclarationRecord]

    public init(revision: Revision, declarations: [DeclarationRecord]) {
        self.revision = revision
        self.declarations = declarations
    }
}

/// What ``RevisionRepository/store(_:)`` or ``RevisionRepository/publish(_:expectedCurrent:)`` did.
public struct StoredRevision: Sendable, Hashable {
    /// The stored revision, or the current one when the draft had the same content hash.
    public var revision: Revision
    /// `false` when nothing was written because the draft's content hash equals the current revision's.
    public var created: Bool

    public init(revision: Revision, created: Bool) {
        self.revision = revision
        self.created = created
    }
}
