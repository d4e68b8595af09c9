import Declarations
import Reconciler
import Store

/// A stored revision kept as its records (canonical text), decoded a few entities at a time when a run asks
/// (``fleet``, issue 13): `launchq serve` holds one chunk of decoded declarations at once, not the revision's.
struct StoredFleet: Sendable {
    let revision: Revision
    /// The records in stored order.
    let records: [DeclarationRecord]
    /// The fleet the runs reconcile: users and policies decoded now, each chunk's records decoded when asked.
    let fleet: FleetDeclarations

    /// - Throws: ``DesiredStateError`` when a record cannot be read back (also for users and policies, decoded now).
    init(_ state: DesiredState, entitiesPerChunk: Int, queuesPerChunk: Int = FleetDeclarations.queuesPerChunk) throws {
        revision = state.revision
        records = state.declarations
        var byEntity: [String: [Int]] = [:]
        var queues: [String: Int] = [:]
        var shared: [DeclarationRecord] = []
        for (index, record) in records.enumerated() {
            guard let entity = FleetDeclarations.entity(kind: record.kind, identity: record.identity) else {
                shared.append(record)
                continue
            }
            byEntity[entity, default: []].append(index)
            if record.kind == Declaration.Kind.runQueue.rawValue { queues[entity, default: 0] += 1 }
        }
        let (records, grouped) = (records, byEntity)
        fleet = FleetDeclarations(
            shared: try DesiredStateCodec.declarations(from: shared),
            chunks: FleetDeclarations.chunks(
                byEntity.keys.map { (name: $0, queues: queues[$0] ?? 0) }, entitiesPerChunk: entitiesPerChunk, queuesPerChunk: queuesPerChunk),
            count: records.count,
            declarations: { entities in
                try DesiredStateCodec.declarations(from: entities.flatMap { grouped[$0] ?? [] }.map { records[$0] })
            })
    }

    /// Every declaration, decoded, in stored order (a preview plans them all at once).
    func declarations() throws -> [Declaration] {
        try DesiredStateCodec.declarations(from: records)
    }
}
