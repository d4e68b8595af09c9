import Foundation
import Reconciler
import WandbModel

extension StatusPage.Model {
    /// One managed queue with items waiting, as text.
    public struct BacklogRow: Sendable, Hashable {
        /// `entity/queue`.
        public var queue: String
        public var pendingItems: Int
        /// How long the oldest pending item has waited, such as `1h 5m` or `42s`.
        public var oldestWait: String

        public init(queue: String, pendingItems: Int, oldestWait: String) {
            self.queue = queue
            self.pendingItems = pendingItems
            self.oldestWait = oldestWait
        }
    }

    /// The most queues the page lists.
    static let backlogRowLimit = 50

    /// The queues with pending items, the longest wait first (at most ``backlogRowLimit``).
    static func backlogRows(_ backlog: [QueueBacklog], at now: Date) -> [BacklogRow] {
        backlog.filter { $0.pendingItems > 0 }
            .sorted { $0.oldestPendingSeconds(at: now) > $1.oldestPendingSeconds(at: now) }
            .prefix(backlogRowLimit)
            .map { BacklogRow(queue: "\($0.entity)/\($0.queue)", pendingItems: $0.pendingItems, oldestWait: wait($0.oldestPendingSeconds(at: now))) }
    }

    /// `2d 3h`, `1h 5m`, `4m 2s`, `42s`.
    static func wait(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (days, hours, minutes, rest) = (total / 86400, total % 86400 / 3600, total % 3600 / 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return "\(rest)s"
    }
}
