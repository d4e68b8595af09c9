import Foundation
import JSON
import WandbModel

extension Wire {
    /// The backlog of one queue of a `ReadEntities` answer read with ``EntityReadParts/backlog``: the `PENDING`
    /// items among `runQueueItems.edges` and the earliest `createdAt` of them.
    ///
    /// Lenient on purpose: the backlog is for monitoring and never fails a read. `runQueueItems` absent, `null` or
    /// without an `edges` list gives `nil` (unknown, left out of the gauges); an item without a readable state is
    /// not counted, a pending item without a readable `createdAt` is counted without an age.
    static func backlog(of queue: JSONValue, entity: String, name: String) -> QueueBacklog? {
        guard let items = queue["runQueueItems"], !items.isNull, let edges = items["edges"]?.array else { return nil }
        var pending = 0
        var oldest: Date?
        for edge in edges {
            guard let node = edge["node"], node["state"]?.string == "PENDING" else { continue }
            pending += 1
            if let text = node["createdAt"]?.string, let date = timestamp(text) { oldest = min(oldest ?? date, date) }
        }
        return QueueBacklog(entity: entity, queue: name, pendingItems: pending, oldestPendingSince: oldest)
    }

    /// W&B's `DateTime`: ISO 8601, in UTC, with or without a zone designator and fractional seconds.
    static func timestamp(_ text: String) -> Date? {
        let zoned = text.hasSuffix("Z") || text.contains("+") ? text : text + "Z"
        if let date = try? Date(zoned, strategy: .iso8601) { return date }
        return try? Date(zoned, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
