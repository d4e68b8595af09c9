import Crypto
import Foundation
import WandbModel

/// One backlog read as `GET /v1/objects` uses it: the queues, found by `entity/queue` (``backlog(of:)``), and the
/// digest that goes into the listing's `ETag` — computed once when the read is recorded, not per request (at 10,000
/// queues the digest alone was milliseconds of every request's time).
final class BacklogSnapshot: Sendable {
    /// The queues as read, in the order read.
    let queues: [QueueBacklog]
    /// Positions in ``queues`` ordered by entity, queue and position: what ``backlog(of:)`` searches. An index, not a
    /// dictionary by `entity/queue`, so that a fleet's backlog is not held twice with a key string per queue (issue 13).
    private let order: [Int]
    /// ``Representation/backlogFingerprint(_:)`` of ``queues`` (empty when nothing was read).
    let fingerprint: String

    /// No backlog read yet.
    static let empty = BacklogSnapshot([])

    init(_ queues: [QueueBacklog]) {
        self.queues = queues
        order = queues.indices.sorted { (queues[$0].entity, queues[$0].queue, $0) < (queues[$1].entity, queues[$1].queue, $1) }
        fingerprint = Representation.backlogFingerprint(queues)
    }

    /// The backlog read of queue `identity` (`entity/queue`; an entity name has no `/`), the first read when a name
    /// was read twice; `nil` when it was not read.
    func backlog(of identity: String) -> QueueBacklog? {
        guard let slash = identity.firstIndex(of: "/") else { return nil }
        let wanted = (String(identity[..<slash]), String(identity[identity.index(after: slash)...]))
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            let queue = queues[order[middle]]
            if (queue.entity, queue.queue) < wanted { low = middle + 1 } else { high = middle }
        }
        guard low < order.count, queues[order[low]].entity == wanted.0, queues[order[low]].queue == wanted.1 else { return nil }
        return queues[order[low]]
    }
}
