import Crypto
import Foundation
import WandbModel

/// One backlog read as `GET /v1/objects` uses it: the queues, each by `entity/queue`, and the digest that goes into
/// the listing's `ETag` — computed once when the read is recorded, not per request (at 10,000 queues the digest
/// alone was milliseconds of every request's time).
final class BacklogSnapshot: Sendable {
    /// The queues as read, in the order read.
    let queues: [QueueBacklog]
    /// Each queue by `entity/queue` (the first of a repeated name).
    let byQueue: [String: QueueBacklog]
    /// ``Representation/backlogFingerprint(_:)`` of ``queues`` (empty when nothing was read).
    let fingerprint: String

    /// No backlog read yet.
    static let empty = BacklogSnapshot([])

    init(_ queues: [QueueBacklog]) {
        self.queues = queues
        byQueue = Dictionary(queues.map { ($0.entity + "/" + $0.queue, $0) }, uniquingKeysWith: { first, _ in first })
        fingerprint = Representation.backlogFingerprint(queues)
    }
}
