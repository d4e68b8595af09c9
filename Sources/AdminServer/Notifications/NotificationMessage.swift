import Foundation

/// One notification: an object became failed (refused included) or drifted, or a reconcile run failed.
///
/// Sent as JSON with a Slack-compatible `text` field, so a Slack (or Mattermost, Teams workflow) incoming webhook
/// shows it as is; other receivers read the structured members. It holds no secret: object errors are the
/// redacted ones the store keeps, and no URL, key or token is ever put in it.
public struct NotificationMessage: Sendable, Hashable, Codable {
    /// `object.failed`, `object.drifted` or `reconcile.failed`.
    public var event: String
    /// A one-line summary for people (what Slack shows).
    public var text: String
    /// The object's kind and id (`nil` for a run).
    public var kind: String?
    public var id: String?
    /// The object's new state (`failed`, `drifted`).
    public var state: String?
    /// The object's last error, or the run's message.
    public var message: String?
    /// The replica that noticed it.
    public var replica: String
    /// When it was noticed (ISO 8601).
    public var at: String

    /// The JSON body sent (keys sorted, so a signature can be checked against the same bytes).
    public func body() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }

    static func object(kind: String, id: String, state: String, error: String?, replica: String, at date: Date) -> NotificationMessage {
        let summary = "launchq: \(kind) \(id) is \(state)" + (error.map { ": \($0)" } ?? "")
        return NotificationMessage(
            event: "object.\(state)", text: summary, kind: kind, id: id, state: state, message: error, replica: replica,
            at: date.formatted(.iso8601))
    }

    static func runFailed(message: String?, trigger: String, replica: String, at date: Date) -> NotificationMessage {
        NotificationMessage(
            event: "reconcile.failed", text: "launchq: a reconcile run (\(trigger)) failed" + (message.map { ": \($0)" } ?? ""),
            kind: nil, id: nil, state: nil, message: message, replica: replica, at: date.formatted(.iso8601))
    }
}
