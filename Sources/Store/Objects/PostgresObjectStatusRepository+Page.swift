import Crypto
import Foundation
import PostgresNIO

extension PostgresObjectStatusRepository {
    /// The listed columns: every one but `observed_state`, which can be large and no listing shows.
    static let listedColumns = """
        kind, identity, desired_hash, NULL::text, observed_hash, wandb_id, state, last_error, attempts, \
        last_reconciled_at, updated_at, applied_policy
        """

    public func page(_ filter: ObjectFilter, after: ObjectKey?, limit: Int) async throws -> ObjectPage {
        let size = max(limit, 1)
        let (kind, state, entity) = (filter.kind, filter.state?.rawValue, filter.entity)
        // One row more than asked says whether a next page exists; (kind, identity) is the primary key, so the
        // keyset `> (after)` walks the index and stays exact under concurrent inserts and deletes. An entity: the
        // split_part condition (true of every row the entity matches: a team named so, projects and queues named
        // `entity/…`) is what the `objects_entity` index answers (migration 0007), so no page scans every object.
        let rows = try await store.query(
            "listing a page of objects",
            """
            SELECT \(unescaped: Self.listedColumns) FROM objects
            WHERE (\(after?.kind)::text IS NULL OR (kind, identity) > (\(after?.kind)::text, \(after?.identity)::text))
              AND (\(kind)::text IS NULL OR kind = \(kind)::text)
              AND (\(state)::text IS NULL OR state = \(state)::text)
              AND (\(entity)::text IS NULL
                   OR (split_part(identity, '/', 1) = split_part(\(entity)::text, '/', 1)
                       AND ((kind = 'Team' AND identity = \(entity)::text)
                            OR (kind NOT IN ('Team', 'User') AND left(identity, length(\(entity)::text) + 1) = \(entity)::text || '/'))))
            ORDER BY kind, identity
            LIMIT \(size + 1)
            """)
        var objects = try rows.map(Self.decode)
        var next: ObjectKey?
        if objects.count > size {
            objects.removeLast(objects.count - size)
            next = objects.last?.key
        }
        return ObjectPage(objects: objects, next: next)
    }

    public func summary(_ filter: ObjectFilter) async throws -> ObjectSummary {
        let (kind, state, entity) = (filter.kind, filter.state?.rawValue, filter.entity)
        // Per state: the count and the sum of a 64-bit hash of each row's listed fields (`listed_hash`, kept by a
        // trigger on every write: migration 0006; since 0007 independent of the writing session's time zone). A sum
        // is independent of the order rows are read and changes when any one row's fields change (barring a 2^-64
        // collision); unlike max(updated_at) it also sees a transaction that commits after a later-started one did.
        let rows = try await store.query(
            "summarising objects",
            """
            SELECT state, count(*)::bigint, COALESCE(sum(listed_hash), 0)::text,
                   (SELECT version FROM objects_version)
            FROM objects
            WHERE (\(kind)::text IS NULL OR kind = \(kind)::text)
              AND (\(state)::text IS NULL OR state = \(state)::text)
              AND (\(entity)::text IS NULL
                   OR (split_part(identity, '/', 1) = split_part(\(entity)::text, '/', 1)
                       AND ((kind = 'Team' AND identity = \(entity)::text)
                            OR (kind NOT IN ('Team', 'User') AND left(identity, length(\(entity)::text) + 1) = \(entity)::text || '/'))))
            GROUP BY state
            UNION ALL SELECT NULL, 0, '0', (SELECT version FROM objects_version)
            ORDER BY 1
            """)
        // The last row (state NULL sorts last) carries the version even when the filter matches nothing; every row
        // comes from one snapshot, so the figures hold for exactly that version.
        var counts: [ObjectState: Int] = [:]
        var material = ""
        var version: Int64 = 0
        for row in rows {
            let (name, count, sum, rowVersion) = try row.decode((String?, Int64, String, Int64).self)
            version = rowVersion
            guard let state = name else { continue }
            guard let objectState = ObjectState(rawValue: state) else {
                throw StoreError(code: .database, message: "objects have unknown state '\(state)'")
            }
            counts[objectState] = Int(count)
            material += "\(state):\(count):\(sum);"
        }
        let digest = SHA256.hash(data: Data(material.utf8))
        let fingerprint = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        return ObjectSummary(counts: counts, fingerprint: fingerprint, version: version)
    }

    /// From memory while a control listener runs (``ObjectsVersionCache``), else one single-row read.
    public func version() async throws -> Int64 {
        if let known = store.objectsVersion.current() { return known }
        return try await readVersion()
    }

    /// Reads the version from the database (and lets the cache trust it when a listener ran throughout).
    func readVersion() async throws -> Int64 {
        let generation = store.objectsVersion.generationBeforeRead()
        let rows = try await store.query("reading the objects' version", "SELECT version FROM objects_version")
        guard let row = rows.first else { throw StoreError(code: .database, message: "objects_version has no row") }
        let version = try row.decode(Int64.self)
        if let generation { store.objectsVersion.read(version, generation: generation) }
        return version
    }

    /// After a write of this process committed: reads the version back, so the cache is never behind a write that
    /// returned (its own notification may still be on the way); if that fails, the cache stops answering.
    func versionAfterWrite() async {
        guard store.objectsVersion.generationBeforeRead() != nil else { return }
        do { _ = try await readVersion() } catch { store.objectsVersion.forget() }
    }
}
