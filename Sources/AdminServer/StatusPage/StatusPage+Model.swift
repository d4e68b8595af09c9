import Foundation
import Store

extension StatusPage {
    /// What the status page shows, already formatted as text (the template only places and escapes it).
    public struct Model: Sendable {
        /// One managed object.
        public struct Object: Sendable, Hashable {
            public var kind: String
            public var identity: String
            /// `ready`, `pending`, `drifted`, `failed` or `orphaned`.
            public var state: String
            public var lastError: String?
            /// `2026-11-29 10:20:42 UTC`, or `nil` when never reconciled.
            public var lastReconciledAt: String?

            public init(kind: String, identity: String, state: String, lastError: String? = nil, lastReconciledAt: String? = nil) {
                self.kind = kind
                self.identity = identity
                self.state = state
                self.lastError = lastError
                self.lastReconciledAt = lastReconciledAt
            }
        }

        /// The current desired-state revision.
        public struct RevisionSummary: Sendable, Hashable {
            public var number: String
            public var sourceKind: String
            public var location: String
            public var commit: String?
            public var author: String?
            public var createdAt: String
            public var contentHash: String
            public var declarationCount: Int
        }

        /// One audit event.
        public struct EventRow: Sendable, Hashable {
            public var occurredAt: String
            public var actor: String
            public var action: String
            public var object: String?
            /// `started`, `succeeded`, `failed`, `skipped` or `refused`.
            public var outcome: String
            public var message: String?
        }

        /// How many objects are in one state.
        public struct StateCount: Sendable, Hashable {
            public var state: String
            public var count: Int
        }

        /// The page title.
        public var title: String = "launchq"
        /// Objects, those needing attention (failed, drifted, orphaned, pending) first, then by kind and identity.
        public var objects: [Object]
        /// Non-zero counts per state, those needing attention first (failed, drifted, orphaned, pending, ready).
        public var counts: [StateCount]
        public var revision: RevisionSummary?
        /// The guardrails (`kind: Policy`) of the current revision, by name.
        public var policies: [PolicyRow] = []
        /// Managed queues with items waiting, the longest wait first (read with each reconcile run's batched reads).
        public var backlog: [BacklogRow] = []
        /// Recent events, newest first.
        public var events: [EventRow]
        /// A line shown above everything, such as "Scheduled reconciliation is suspended." (`nil`: none).
        public var notice: String?
        /// When the page was made.
        public var generatedAt: String
        /// The link to the next page of objects (`?cursor=…`, the filter kept), `nil` on the last page.
        public var nextPage: String?
        /// What the objects table shows, such as "Objects 1–500 of 10,000 (state failed)"; `nil`: all of them.
        public var pageSummary: String?

        /// A model from the store's rows: object statuses, the current revision (if any) and recent events.
        public init(objects: [ObjectStatus], revision: Revision?, events: [Event], notice: String? = nil, now: Date = Date()) {
            let order: [ObjectState: Int] = [.failed: 0, .drifted: 1, .orphaned: 2, .pending: 3, .ready: 4]
            self.objects = objects
                .sorted {
                    (order[$0.state] ?? 5, $0.key.kind, $0.key.identity) < (order[$1.state] ?? 5, $1.key.kind, $1.key.identity)
                }
                .map {
                    Object(
                        kind: $0.key.kind, identity: $0.key.identity, state: $0.state.rawValue,
                        lastError: $0.lastError, lastReconciledAt: $0.lastReconciledAt.map(Self.format))
                }
            self.counts = [ObjectState.failed, .drifted, .orphaned, .pending, .ready].compactMap { state in
                let count = objects.count { $0.state == state }
                return count == 0 ? nil : StateCount(state: state.rawValue, count: count)
            }
            self.revision = revision.map {
                RevisionSummary(
                    number: String($0.number), sourceKind: $0.source.kind, location: $0.source.location, commit: $0.source.commit,
                    author: $0.source.author, createdAt: Self.format($0.createdAt), contentHash: String($0.contentHash.prefix(12)),
                    declarationCount: $0.declarationCount)
            }
            self.events = events.map {
                EventRow(
                    occurredAt: Self.format($0.occurredAt), actor: $0.draft.actor, action: $0.draft.action,
                    object: $0.draft.object.map { "\($0.kind) \($0.identity)" }, outcome: $0.draft.outcome.rawValue,
                    message: $0.draft.message)
            }
            self.notice = notice
            self.generatedAt = Self.format(now)
        }

        /// Non-zero `counts` in the order the page shows them (failed, drifted, orphaned, pending, ready).
        public static func counts(_ counts: [ObjectState: Int]) -> [StateCount] {
            [ObjectState.failed, .drifted, .orphaned, .pending, .ready].compactMap { state in
                let count = counts[state] ?? 0
                return count == 0 ? nil : StateCount(state: state.rawValue, count: count)
            }
        }

        /// `2026-11-29 10:20:42 UTC`.
        static func format(_ date: Date) -> String {
            let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
            return "\(components.year ?? 0)-\(two(components.month))-\(two(components.day)) "
                + "\(two(components.hour)):\(two(components.minute)):\(two(components.second)) UTC"
        }
    }
}
