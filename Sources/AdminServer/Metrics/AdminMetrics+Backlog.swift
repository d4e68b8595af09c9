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
    /// those entities — and keeps the other entities' queues (``recordBacklog(_:at:)`` for the gauges).
    func recordBacklog(_ read: [QueueBacklog], of entities: Set<String>, at now: Date = Date()) {
        let kept = backlog.withLock { $0.queues }.filter { !entities.contains($0.entity) }
        recordBacklog(kept + read, at: now)
    }

    /// Forgets the backlog of entities a completed run no longer manages (their gauges unregistered).
    func keepBacklog(of entities: Set<String>, at now: Date = Date()) {
        let queues = backlog.withLock { $0.queues }
        guard queues.contains(where: { !entities.contains($0.entity) }) else { return }
        recordBacklog(queues.filter { entities.contains($0.entity) }, at: now)
    }

    /// Replaces the backlog with `read`: gauges for new queues are made, those of queues no longer read are
    /// unregistered (a queue no longer managed leaves no stale series).
    func recordBacklog(_ read: [QueueBacklog], at now: Date = Date()) {
        let snapshot = BacklogSnapshot(read)
        backlog.withLock { $0 = snapshot }
        backlogGauges.withLock { gauges in
            let keys = Set(read.map(Self.key))
            for (key, gauge) in gauges where !keys.contains(key) {
                registry.unregisterGauge(gauge.pending)
                registry.unregisterGauge(gauge.oldest)
                gauges[key] = nil
            }
            for queue in read where gauges[Self.key(queue)] == nil {
                let labels = [("entity", queue.entity), ("queue", queue.queue)]
                gauges[Self.key(queue)] = (
                    registry.makeGauge(descriptor: Self.name("queue_pending_items", "", "Items waiting (PENDING) on a managed run queue"), labels: labels),
                    registry.makeGauge(
                        descriptor: Self.name("queue_oldest_pending", "seconds", "Age of the oldest pending item on a managed run queue (0 when none waits)"),
                        labels: labels)
                )
            }
        }
        refreshBacklogAges(at: now)
    }

    /// Sets the backlog gauges, the ages as of `now` (so a scrape between reads sees the age grow).
    func refreshBacklogAges(at now: Date) {
        let read = backlog.withLock { $0.queues }
        backlogGauges.withLock { gauges in
            for queue in read {
                guard let gauge = gauges[Self.key(queue)] else { continue }
                gauge.pending.set(to: Double(queue.pendingItems))
                gauge.oldest.set(to: queue.oldestPendingSeconds(at: now))
            }
        }
    }

    /// Sets `launchq_objects{state}` from the count of objects in each state.
    func recordObjectStates(_ counts: [String: Int]) {
        for (state, gauge) in objectsByState { gauge.set(to: Double(counts[state] ?? 0)) }
    }

    static func key(_ queue: QueueBacklog) -> String { queue.entity + "/" + queue.queue }
}
