import Foundation

/// What waits on one run queue: its pending items and when the oldest of them was pushed. Read with the queue in
/// the batched entity read when ``EntityReadParts/backlog`` is asked for (`launchq serve`), from the queue's first
/// ``pageSize`` items.
public struct QueueBacklog: Sendable, Hashable {
    /// How many items the read lists per queue (as the SDK's `RunQueue.items`).
    public static let pageSize = 100

    public var entity: String
    public var queue: String
    /// Items in state `PENDING` among the first ``pageSize`` the server lists.
    public var pendingItems: Int
    /// When the oldest pending item was pushed (`nil` when none waits).
    public var oldestPendingSince: Date?

    public init(entity: String, queue: String, pendingItems: Int, oldestPendingSince: Date?) {
        self.entity = entity
        self.queue = queue
        self.pendingItems = pendingItems
        self.oldestPendingSince = oldestPendingSince
    }

    /// Seconds the oldest pending item has waited at `now` (0 when none waits).
    public func oldestPendingSeconds(at now: Date) -> Double {
        oldestPendingSince.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }
}
