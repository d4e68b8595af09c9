import Foundation
import Logging
import PostgresNIO

/// ``RevisionRepository`` on PostgreSQL (tables `revisions`, `revision_declarations`, `current_revision`).
///
/// Declarations are written in batches through `unnest` of arrays (``batches(of:)``), so storing a revision costs
/// one round trip per 256 KiB of documents rather than one per declaration.
public struct PostgresRevisionRepository: RevisionRepository {
    let store: PostgresStore
    /// At most this many declarations per `INSERT ... SELECT FROM unnest(...)` statement.
    public static let batchSize = 5_000
    /// At most this many bytes of documents per statement (unless one declaration alone has more). A connection keeps
    /// the write buffer its largest statement needed for as long as it lives: batches of 5,000 declarations of a
    /// 10,000-queue fleet (~5 MB each) left one connection holding 8 MiB through the whole reconcile (issue 13).
    public static let batchBytes = 256 * 1024

    /// The declarations cut into consecutive batches of at most ``batchSize`` declarations and ``batchBytes`` of
    /// documents (each batch holds at least one declaration).
    public static func batches(of declarations: [DeclarationRecord]) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, declaration) in declarations.enumerated() {
            let size = declaration.document.utf8.count
            if index > start, index - start >= batchSize || bytes + size > batchBytes {
                batches.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < declarations.count { batches.append(start..<declarations.count) }
        return batches
    }

    static let revisionColumns = "r.id, r.source_kind, r.source_location, r.git_commit, r.author, r.created_at, r.content_hash, r.declaration_count"

    public func store(_ draft: RevisionDraft) async throws -> StoredRevision {
        try draft.validate()
        return try await store.withTransaction("storing a revision") { connection in
            if let current = try await currentRevision(connection), current.contentHash == draft.contentHash {
                return StoredRevision(revision: current, created: false)
            }
            return StoredRevision(revision: try await insert(draft, connection), created: true)
        }
    }

    public func setCurrent(_ revision: RevisionNumber, expectedCurrent: RevisionNumber?) async throws {
        try await store.withTransaction("setting the current revision") { connection in
            let current = try await lockCurrentNumber(connection)
            guard current == expectedCurrent else {
                throw StoreError.revisionConflict(expected: expectedCurrent, current: current)
            }
            let exists = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM revisions WHERE id = \(revision))", logger: store.logger
            ).decode(Bool.self).all().first ?? false
            guard exists else {
                throw StoreError(code: .revisionNotFound, message: "revision \(revision) does not exist")
            }
            try await connection.query(
                "UPDATE current_revision SET revision_id = \(revision), updated_at = now()", logger: store.logger)
        }
    }

    public func publish(_ draft: RevisionDraft, expectedCurrent: RevisionNumber?) async throws -> StoredRevision {
        try draft.validate()
        return try await store.withTransaction("publishing a revision") { connection in
            let currentNumber = try await lockCurrentNumber(connection)
            guard currentNumber == expectedCurrent else {
                throw StoreError.revisionConflict(expected: expectedCurrent, current: currentNumber)
            }
            if let current = try await currentRevision(connection), current.contentHash == draft.contentHash {
                return StoredRevision(revision: current, created: false)
            }
            let revision = try await insert(draft, connection)
            try await connection.query(
                "UPDATE current_revision SET revision_id = \(revision.number), updated_at = now()", logger: store.logger)
            return StoredRevision(revision: revision, created: true)
        }
    }

    public func current() async throws -> Revision? {
        try await store.withConnection("reading the current revision") { connection in
            try await currentRevision(connection)
        }
    }

    public func currentDesiredState() async throws -> DesiredState? {
        try await store.withTransaction("reading the current desired state") { connection in
            guard let revision = try await currentRevision(connection) else { return nil }
            return DesiredState(revision: revision, declarations: try await declarations(of: revision.number, connection))
        }
    }

    public func desiredState(at number: RevisionNumber) async throws -> DesiredState? {
        try await store.withConnection("reading revision \(number)") { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.revisionColumns) FROM revisions r WHERE r.id = \(number)",
                logger: store.logger
            ).collect()
            guard let row = rows.first else { return nil }
            let revision = try Self.decodeRevision(row)
            return DesiredState(revision: revision, declarations: try await declarations(of: number, connection))
        }
    }

    public func list(limit: Int, before: RevisionNumber?) async throws -> [Revision] {
        let limit = max(1, min(limit, 1_000))
        let rows = try await store.query(
            "listing revisions",
            """
            SELECT \(unescaped: Self.revisionColumns) FROM revisions r
            WHERE (\(before)::bigint IS NULL OR r.id < \(before)) ORDER BY r.id DESC LIMIT \(limit)
            """)
        return try rows.map(Self.decodeRevision)
    }

    // MARK: - Helpers on one connection

    private func lockCurrentNumber(_ connection: PostgresConnection) async throws -> RevisionNumber? {
        let rows = try await connection.query(
            "SELECT revision_id FROM current_revision WHERE singleton FOR UPDATE", logger: store.logger
        ).decode(RevisionNumber?.self).all()
        return rows.first ?? nil
    }

    private func currentRevision(_ connection: PostgresConnection) async throws -> Revision? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.revisionColumns) FROM current_revision c JOIN revisions r ON r.id = c.revision_id",
            logger: store.logger
        ).collect()
        return try rows.first.map(Self.decodeRevision)
    }

    private func insert(_ draft: RevisionDraft, _ connection: PostgresConnection) async throws -> Revision {
        let rows = try await connection.query(
            """
            INSERT INTO revisions (source_kind, source_location, git_commit, author, content_hash, declaration_count)
            VALUES (\(draft.source.kind), \(draft.source.location), \(draft.source.commit), \(draft.source.author),
                    \(draft.contentHash), \(draft.declarations.count))
            RETURNING id, source_kind, source_location, git_commit, author, created_at, content_hash, declaration_count
            """,
            logger: store.logger
        ).collect()
        guard let row = rows.first else {
            throw StoreError(code: .database, message: "storing a revision failed: INSERT returned no row")
        }
        let revision = try Self.decodeRevision(row)

        for range in Self.batches(of: draft.declarations) {
            let batch = draft.declarations[range]
            let offset = range.lowerBound
            try await connection.query(
                """
                INSERT INTO revision_declarations
                    (revision_id, ordinal, kind, identity, content_hash, document, file, line, "column")
                SELECT \(revision.number), \(offset) + t.ord::integer, t.kind, t.identity, t.hash, t.document, t.file,
                       t.line::integer, t.col::integer
                FROM unnest(\(batch.map(\.kind)), \(batch.map(\.identity)), \(batch.map(\.contentHash)),
                            \(batch.map(\.document)), \(batch.map(\.file)), \(batch.map(\.line)), \(batch.map(\.column)))
                     WITH ORDINALITY AS t(kind, identity, hash, document, file, line, col, ord)
                """,
                logger: store.logger)
        }
        return revision
    }

    private func declarations(of revision: RevisionNumber, _ connection: PostgresConnection) async throws -> [DeclarationRecord] {
        let rows = try await connection.query(
            """
            SELECT kind, identity, content_hash, document, file, line, "column"
            FROM revision_declarations WHERE revision_id = \(revision) ORDER BY ordinal
            """,
            logger: store.logger
        )
        var result: [DeclarationRecord] = []
        for try await row in rows { result.append(try Self.decodeRecord(row)) }
        return result
    }

    static func decodeRevision(_ row: PostgresRow) throws -> Revision {
        let (number, kind, location, commit, author, createdAt, hash, count) = try row.decode(
            (RevisionNumber, String, String, String?, String?, Date, String, Int).self)
        return Revision(
            number: number,
            source: RevisionSource(kind: kind, location: location, commit: commit, author: author),
            createdAt: createdAt,
            contentHash: hash,
            declarationCount: count)
    }
}
