/// An error reading a declaration source, with a stable ``Code`` and a message safe to log.
///
/// Messages never contain credentials: a repository URL's `user:password@` part is shown as `***@`.
public struct SourceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidSource, notFound, unsafePath, symlinkEscapes, unreadable, gitUnavailable, gitFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The `--source` value is neither a path nor a `git+<url>@<branch>` form launchq accepts.
        public static let invalidSource = Self(.invalidSource)
        /// The source directory does not exist or is not a directory.
        public static let notFound = Self(.notFound)
        /// A path contains a `..` component (or another form launchq refuses).
        public static let unsafePath = Self(.unsafePath)
        /// A symbolic link inside the source points outside it.
        public static let symlinkEscapes = Self(.symlinkEscapes)
        /// A file or directory could not be read.
        public static let unreadable = Self(.unreadable)
        /// The `git` command is not installed or not on `PATH`.
        public static let gitUnavailable = Self(.gitUnavailable)
        /// A `git` command failed (clone, fetch, reset, rev-parse); the message carries git's own words.
        public static let gitFailed = Self(.gitFailed)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation naming the path or repository, safe to print and log.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Equality looks at the code only, like other SSWG extensible errors.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
