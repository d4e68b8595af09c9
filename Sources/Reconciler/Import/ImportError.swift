/// Why `launchq import` could not import an entity or write its files.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// A stable code for each kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case entityNotFound = "import.entity_not_found"
            case fileExists = "import.file_exists"
            case write = "import.write"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// W&B has no entity of that name.
        public static let entityNotFound = Code(.entityNotFound)
        /// A file to write exists already and `--force` was not given.
        public static let fileExists = Code(.fileExists)
        /// A folder or file could not be written.
        public static let write = Code(.write)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
