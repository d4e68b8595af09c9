import Declarations
import Reconciler
import Store

/// A stored revision decoded a few entities at a time when a run asks (``fleet``, issue 13): `launchq serve` holds
/// one chunk of the revision's text and decoded declarations at once, and only its users, policies and chunk
/// layout between runs.
struct StoredFleet: Sendable {
    let revision: Revision
    /// The fleet the runs reconcile: users and policies decoded now, each chunk's records read and decoded when asked.
    let fleet: FleetDeclarations

    /// The revision's layout (kind and identity of each declaration), users and policies read now; each chunk's
    /// records from `records` when the run asks.
    /// - Throws: ``DesiredStateError`` when a user or policy cannot be read back.
    init(
        revision: Revision, outline: [(kind: String, identity: String)], shared: [DeclarationRecord], entitiesPerChunk: Int,
        queuesPerChunk: Int = FleetDeclarations.queuesPerChunk,
        records: @escaping @Sendable (_ entities: [String]) async throws -> [DeclarationRecord]
    ) throws {
        self.revision = revision
        var queues: [String: Int] = [:]
        for (kind, identity) in outline {
            guard let entity = FleetDeclarations.entity(kind: kind, identity: identity) else { continue }
            queues[entity, default: 0] += kind == Declaration.Kind.runQueue.rawValue ? 1 : 0
        }
        fleet = FleetDeclarations(
            shared: try DesiredStateCodec.declarations(from: shared),
            chunks: FleetDeclarations.chunks(queues.map { (name: $0.key, queues: $0.value) }, entitiesPerChunk: entitiesPerChunk, queuesPerChunk: queuesPerChunk),
            count: outline.count,
            declarations: { entities in try DesiredStateCodec.declarations(from: try await records(entities)) })
    }

    /// A revision whose records are in memory.
    init(_ state: DesiredState, entitiesPerChunk: Int, queuesPerChunk: Int = FleetDeclarations.queuesPerChunk) throws {
        let records = state.declarations
        var byEntity: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            if let entity = FleetDeclarations.entity(kind: record.kind, identity: record.identity) { byEntity[entity, default: []].append(index) }
        }
        let grouped = byEntity
        try self.init(
            revision: state.revision, outline: records.map { (kind: $0.kind, identity: $0.identity) },
            shared: records.filter { FleetDeclarations.entity(kind: $0.kind, identity: $0.identity) == nil }, entitiesPerChunk: entitiesPerChunk,
            queuesPerChunk: queuesPerChunk,
            records: { entities in entities.flatMap { grouped[$0] ?? [] }.sorted().map { records[$0] } })
    }

    /// `revision` as the store holds it: its layout, users and policies read now, each chunk's records when asked.
    static func read(
        _ revision: Revision, from revisions: PostgresRevisionRepository, entitiesPerChunk: Int,
        queuesPerChunk: Int = FleetDeclarations.queuesPerChunk
    ) async throws -> StoredFleet {
        let number = revision.number
        let shared = [Declaration.Kind.user, .policy].map(\.rawValue)
        return try StoredFleet(
            revision: revision, outline: try await revisions.outline(of: number),
            shared: try await revisions.declarations(of: number, kinds: shared), entitiesPerChunk: entitiesPerChunk,
            queuesPerChunk: queuesPerChunk,
            records: { entities in try await revisions.declarations(of: number, entities: entities) })
    }
}
