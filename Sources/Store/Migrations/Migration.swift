import Crypto
import Foundation

/// One numbered schema change: `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    /// The number `NNNN` from the file name; migrations apply in ascending order.
    public let version: Int
    /// The `name` part of the file name.
    public let name: String
    /// The SQL text, exactly as in the file.
    public let sql: String

    /// Creates a migration; the checksum is derived from `sql`.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text (hex). Recorded when applied; a later mismatch means the file was edited.
    public var checksum: String { SHA256.hex(sql) }

    /// The file name this migration comes from, `NNNN_name.sql`.
    public var fileName: String {
        let number = String(version)
        return String(repeating: "0", count: max(0, 4 - number.count)) + number + "_" + name + ".sql"
    }

    /// Parses `NNNN_name.sql` into (version, name); `nil` when the name does not have that shape.
    public static func parseFileName(_ fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int(digits), version > 0,
            !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return (version, String(name))
    }

    /// Reads every `NNNN_name.sql` file in `directory`, sorted by version.
    ///
    /// Throws ``StoreError/Code/invalidMigration`` for a `.sql` file with another name shape or a repeated number.
    public static func load(from directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var migrations: [Migration] = []
        for fileName in names where fileName.hasSuffix(".sql") {
            guard let (version, name) = parseFileName(fileName) else {
                throw StoreError(
                    code: .invalidMigration,
                    message: "\(directory.path)/\(fileName): migration files must be named NNNN_name.sql (for example 0002_add_index.sql)")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        try validate(migrations)
        return migrations.sorted { $0.version < $1.version }
    }

    /// Checks that versions are positive and unique.
    static func validate(_ migrations: [Migration]) throws {
        var seen: [Int: String] = [:]
        for migration in migrations {
            guard migration.version > 0 else {
                throw StoreError(code: .invalidMigration, message: "migration \(migration.fileName): the number must be positive")
            }
            if let other = seen[migration.version] {
                throw StoreError(
                    code: .invalidMigration,
                    message: "migrations \(other) and \(migration.fileName) have the same number \(migration.version)")
            }
            seen[migration.version] = migration.fileName
        }
    }
}

extension Migration {
    /// The migrations compiled into this binary from `migrations/` (see `scripts/embed-migrations`).
    public static var embedded: [Migration] { EmbeddedMigrations.all }
}
