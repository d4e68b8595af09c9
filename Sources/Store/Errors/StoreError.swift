/// An error from the Store, with a stable ``Code`` and a message that is safe to show a user.
///
/// Messages never contain a database password, an API token or raw driver dumps. Compare errors by
/// ``code``: `error.code == .revisionConflict`.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidDatabaseURL, unreachable, authenticationFailed, databaseNotFound
            case migrationChecksumMismatch, migrationFailed, unknownAppliedMigration, invalidMigration
            case revisionConflict, revisionNotFound, invalidRevision
            case tokenNameTaken, tokenNotFound, invalidToken
            case database
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The `DATABASE_URL` / `--database-url` value is not a usable PostgreSQL URL.
        public static let invalidDatabaseURL = Self(.invalidDatabaseURL)
        /// No PostgreSQL server answered at the configured host and port.
        public static let unreachable = Self(.unreachable)
        /// The server refused the user name or password.
        public static let authenticationFailed = Self(.authenticationFailed)
        /// The named database does not exist on the server.
        public static let databaseNotFound = Self(.databaseNotFound)
        /// An already-applied migration file was edited afterwards.
        public static let migrationChecksumMismatch = Self(.migrationChecksumMismatch)
        /// A migration's SQL failed; its transaction was rolled back.
        public static let migrationFailed = Self(.migrationFailed)
        /// The database records a migration this launchq does not know (it is older than the schema).
        public static let unknownAppliedMigration = Self(.unknownAppliedMigration)
        /// A migration file name or list is malformed (bad name, duplicate or missing number).
        public static let invalidMigration = Self(.invalidMigration)
        /// The current revision is not the one the caller expected (optimistic concurrency).
        public static let revisionConflict = Self(.revisionConflict)
        /// No revision with that number exists.
        public static let revisionNotFound = Self(.revisionNotFound)
        /// A revision draft is malformed (for example two declarations with the same kind and identity).
        public static let invalidRevision = Self(.invalidRevision)
        /// An active token already has that name.
        public static let tokenNameTaken = Self(.tokenNameTaken)
        /// No active token has that name.
        public static let tokenNotFound = Self(.tokenNotFound)
        /// A token name or role is not acceptable.
        public static let invalidToken = Self(.invalidToken)
        /// Any other database failure; the message carries the SQLSTATE and the server's message.
        public static let database = Self(.database)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation, safe to print and log.
    public let message: String
    /// For ``Code/revisionConflict``: the revision that is actually current (`nil`: none yet).
    public let currentRevision: RevisionNumber?

    /// Creates an error; prefer the static factories.
    public init(code: Code, message: String, currentRevision: RevisionNumber? = nil) {
        self.code = code
        self.message = message
        self.currentRevision = currentRevision
    }

    public var description: String { message }

    /// Equality looks at the code only, like other SSWG extensible errors.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension StoreError {
    static func invalidDatabaseURL(_ reason: String) -> Self {
        .init(
            code: .invalidDatabaseURL,
            message: "invalid database URL: \(reason) (expected postgres://user:password@host:port/database[?sslmode=disable|prefer|require])")
    }

    static func unreachable(host: String, port: Int, reason: String) -> Self {
        .init(code: .unreachable, message: "cannot connect to PostgreSQL at \(host):\(port): \(reason)")
    }

    static func revisionConflict(expected: RevisionNumber?, current: RevisionNumber?) -> Self {
        let describe = { (n: RevisionNumber?) in n.map { "revision \($0)" } ?? "no revision" }
        return .init(
            code: .revisionConflict,
            message: "revision conflict: expected the current revision to be \(describe(expected)), but it is \(describe(current))",
            currentRevision: current
        )
    }
}
