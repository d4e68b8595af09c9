import PostgresNIO

/// A revision's declarations read a few entities at a time (issue 13): `launchq serve` decodes and reconciles one
/// chunk of entities at a time and keeps none of the revision's text between chunks.
extension PostgresRevisionRepository {
    /// Each declaration's kind and identity, in stored order, without its document: what a run cuts into chunks.
    public func outline(of revision: RevisionNumber) async throws -> [(kind: String, identity: String)] {
        let rows = try await store.query(
            "reading revision \(revision)'s declarations",
            "SELECT kind, identity FROM revision_declarations WHERE revision_id = \(revision) ORDER BY ordinal",
            decoding: { row in try row.decode((String, String).self) })
        return rows.map { (kind: $0.0, identity: $0.1) }
    }

    /// The declarations of these kinds (`User`, `Policy`: the ones no entity holds), in stored order.
    public func declarations(of revision: RevisionNumber, kinds: [String]) async throws -> [DeclarationRecord] {
        try await store.query(
            "reading revision \(revision)'s declarations",
            """
            SELECT kind, identity, content_hash, document, file, line, "column" FROM revision_declarations
            WHERE revision_id = \(revision) AND kind = ANY(\(kinds)) ORDER BY ordinal
            """, decoding: Self.decodeRecord)
    }

    /// The declarations that live in these entities, in stored order: their teams (identity = the entity), projects
    /// and queues (`entity/name`).
    public func declarations(of revision: RevisionNumber, entities: [String]) async throws -> [DeclarationRecord] {
        try await store.query(
            "reading revision \(revision)'s declarations",
            """
            SELECT kind, identity, content_hash, document, file, line, "column" FROM revision_declarations
            WHERE revision_id = \(revision)
              AND ((kind = 'Team' AND identity = ANY(\(entities)))
                   OR (kind IN ('Project', 'RunQueue') AND split_part(identity, '/', 1) = ANY(\(entities))))
            ORDER BY ordinal
            """, decoding: Self.decodeRecord)
    }

    @Sendable static func decodeRecord(_ row: PostgresRow) throws -> DeclarationRecord {
        let (kind, identity, hash, document, file, line, column) = try row.decode((String, String, String, String, String, Int, Int).self)
        return DeclarationRecord(kind: kind, identity: identity, contentHash: hash, document: document, file: file, line: line, column: column)
    }
}
