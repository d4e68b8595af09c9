import Foundation

/// How an audited action ended.
public enum EventOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded before a change is attempted (a crash mid-apply leaves this visible).
    case started
    case succeeded
    case failed
    /// Not attempted, for example because a dependency failed.
    case skipped
    /// Refused by policy or validation.
    case refused
}

/// An audit event to append.
public struct EventDraft: Sendable, Hashable, Codable {
    /// Who or what acted: `reconciler`, `token:ci`, `cli`, ...
    public var actor: String
    /// The object concerned, if any.
    public var object: ObjectKey?
    /// What was done: `create`, `update`, `delete`, `revision.publish`, `token.revoke`, ...
    public var action: String
    /// Short summaries of the object before and after (never secrets).
    public var before: String?
    public var after: String?
    public var outcome: EventOutcome
    /// Extra detail, such as an error message.
    public var message: String?
    /// The desired-state revision this event belongs to.
    public var revision: RevisionNumber?

    public init(
        actor: String, object: ObjectKey? = nil, action: String, before: String? = nil, after: String? = nil,
        outcome: EventOutcome, message: String? = nil, revision: RevisionNumber? = nil
    ) {
        self.actor = actor
        self.object = object
        self.action = action
        self.before = before
        self.after = after
        self.outcome = outcome
        self.message = message
        self.revision = revision
    }
}

/// A stored audit event.
public struct Event: Sendable, Hashable, Codable {
    /// Increasing id; also the paging cursor.
    public var id: Int64
    public var occurredAt: Date
    public var draft: EventDraft

    public init(id: Int64, occurredAt: Date, draft: EventDraft) {
        self.id = id
        self.occurredAt = occurredAt
        self.draft = draft
    }
}

/// A page of events, newest first.
public struct EventPage: Sendable, Hashable {
    public var events: [Event]
    /// Pass as `before` to get the next (older) page; `nil` when this is the last page.
    public var nextCursor: Int64?

    public init(events: [Event], nextCursor: Int64?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}
