import Crypto
import Foundation
import Reconciler
import Store
import WandbModel

extension Representation {
    /// `"backlog":{"entity/queue":{"oldestPendingSince":…,"pendingItems":…},…}` for the RunQueue objects of a page
    /// that have a backlog read (sorted keys; `oldestPendingSince` is `null` when nothing waits). The age is left to
    /// the reader (now minus `oldestPendingSince`), so the answer only changes when the backlog is read again.
    static func writeBacklog(_ backlog: BacklogSnapshot, for objects: [ObjectStatus], into writer: inout JSONWriter) {
        let shown = objects.filter { $0.key.kind == "RunQueue" }.compactMap { backlog.backlog(of: $0.key.identity) }
        writer.raw("\"backlog\":{")
        for (index, queue) in shown.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(queue.entity + "/" + queue.queue)
            writer.raw(":{\"oldestPendingSince\":")
            writer.time(queue.oldestPendingSince)
            writer.raw(",\"pendingItems\":")
            writer.integer(queue.pendingItems)
            writer.raw("}")
        }
        writer.raw("},")
    }

    /// A short digest of the backlog for the `ETag` of `GET /v1/objects` (empty when no backlog was read, so the tag
    /// is then the summary's alone). The same on every replica holding the same read.
    static func backlogFingerprint(_ backlog: [QueueBacklog]) -> String {
        guard !backlog.isEmpty else { return "" }
        var text = ""
        for queue in backlog {
            text += "\(queue.entity)/\(queue.queue) \(queue.pendingItems) \(queue.oldestPendingSince?.timeIntervalSince1970 ?? 0)\n"
        }
        return "-b" + SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
