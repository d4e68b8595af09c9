import Declarations
import JSON
import Planning
import Reconciler
import Store

extension StoreRecorder {
    /// Records each declared queue's W&B id and observed state (what `GET /v1/objects/RunQueue/{id}` shows),
    /// writing only rows that changed. Queues without a status row yet are left to their first recording.
    /// Only the declared queues' rows are read (a fleet run records one chunk at a time).
    public func recordObserved(_ observed: ObservedState, declarations: [Declaration]) async throws {
        let queues = declarations.filter { $0.kind == .runQueue }.map(\.identity)
        guard !queues.isEmpty else { return }
        // Compared by hash: the stored observed state itself is not read.
        let statuses = try await objects.listWithoutObservedState(kind: Declaration.Kind.runQueue.rawValue, identities: queues)
        let byIdentity = Dictionary(statuses.map { ($0.key.identity, $0) }, uniquingKeysWith: { first, _ in first })
        var changed: [ObjectStatus] = []
        for declaration in declarations {
            guard case .runQueue(let queue) = declaration.object, var status = byIdentity[declaration.identity],
                let seen = observed.entities[queue.entity]?.queues[queue.name]
            else { continue }
            let text = seen.canonicalText
            let hash = ContentHash.sha256(Array(text.utf8))
            guard status.wandbID != seen.id || status.observedHash != hash else { continue }
            status.wandbID = seen.id
            status.observedState = text
            status.observedHash = hash
            changed.append(status)
        }
        if !changed.isEmpty { try await objects.recordObserved(changed) }
    }
}
