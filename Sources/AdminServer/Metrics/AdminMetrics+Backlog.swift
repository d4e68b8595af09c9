import Foundation
import Prometheus
import Reconciler
import Synchronization
import WandbModel

extension AdminMetrics {
    /// The backlog last read: every managed queue's pending items and oldest pending item.
    public var queueBacklog: [QueueBacklog] { backlog.withLock { $0.queues } }

    /// The backlog last read with what `GET /v1/objects` derives from it once per read (index, `ETag` digest).
    var backlogSnapshot: BacklogSnapshot { backlog.withLock { $0 } }

    /// Replaces the backlog of `entities` with `read` — what one chunk of a fleet run read: every managed queue of
    /// those entities — and keeps the other entities' queues.
    func recordBacklog(_ read: [QueueBacklog], of entities: Set<String>) {
        let kept = backlog.withLock { $0.queues }.filter { !entities.contains($0.entity) }
        recordBacklog(kept + read)
    }

    /// Forgets the backlog of entities a completed run no longer manages (their series are no longer rendered).
    func keepBacklog(of entities: Set<String>) {
        let queues = backlog.withLock { $0.queues }
        guard queues.contains(where: { !entities.contains($0.entity) }) else { return }
        recordBacklog(queues.filter { entities.contains($0.entity) })
    }

    /// Replaces the backlog with `read`. Its gauges are not registered one by one: ``renderBacklog(into:at:)`` writes
    /// them from the last read at each scrape (a queue no longer read leaves no series, and 10,000 queues cost no
    /// 20,000 registered gauges made, kept and unregistered as chunks are read).
    func recordBacklog(_ read: [QueueBacklog]) {
        let snapshot = BacklogSnapshot(read)
        backlog.withLock { $0 = snapshot }
    }

    /// Appends `launchq_queue_pending_items` and `launchq_queue_oldest_pending_seconds` for every queue of the last
    /// backlog read, ages as of `now` (so a scrape between reads sees the age grow), in the Prometheus text format.
    func renderBacklog(into buffer: inout [UInt8], at now: Date) {
        let queues = backlog.withLock { $0.queues }
        guard !queues.isEmpty else { return }
        let families: [(name: String, help: String, value: (QueueBacklog) -> Double)] = [
            ("launchq_queue_pending_items", "Items waiting (PENDING) on a managed run queue", { Double($0.pendingItems) }),
            (
                "launchq_queue_oldest_pending_seconds", "Age of the oldest pending item on a managed run queue (0 when none waits)",
                { $0.oldestPendingSeconds(at: now) }
            ),
        ]
        for family in families {
            buffer.append(contentsOf: "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) gauge\n".utf8)
            for queue in queues {
                buffer.append(contentsOf: "\(family.name){entity=\"".utf8)
                Self.appendLabelValue(queue.entity, to: &buffer)
                buffer.append(contentsOf: "\",queue=\"".utf8)
                Self.appendLabelValue(queue.queue, to: &buffer)
                buffer.append(contentsOf: "\"} \(family.value(queue))\n".utf8)
            }
        }
    }

    /// A label value in the Prometheus text format: backslash, double quote and line feed escaped.
    static func appendLabelValue(_ value: String, to buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\n"): buffer.append(contentsOf: #"\n"#.utf8)
            default: buffer.append(byte)
            }
        }
    }

    /// Sets `launchq_objects{state}` from the count of objects in each state.
    func recordObjectStates(_ counts: [String: Int]) {
        for (state, gauge) in objectsByState { gauge.set(to: Double(counts[state] ?? 0)) }
    }

}
