@testable import AdminServer
import Foundation
import Store
import Testing

/// The pure parts of notifications and operator metrics: transitions, what a receiver URL logs as, the W&B
/// operation a request is timed under.
@Suite("notification rules")
struct NotificationRulesTests {
    static func status(_ id: String, _ state: ObjectState) -> ObjectStatus {
        ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: id), state: state)
    }

    @Test("an object is notified when it becomes failed or drifted, once, and again only after it recovered")
    func transitions() {
        var tracker = TransitionTracker()
        tracker.seed([Self.status("ml/old", .failed)])
        // Failed before this process started: not notified again.
        let r1 = tracker.becameNotified([Self.status("ml/old", .failed), Self.status("ml/a", .pending)])
        #expect(r1.isEmpty)
        let r2 = tracker.becameNotified([Self.status("ml/old", .failed), Self.status("ml/a", .failed)])
        #expect(r2.map(\.key.identity) == ["ml/a"])
        let r3 = tracker.becameNotified([Self.status("ml/old", .failed), Self.status("ml/a", .failed)])
        #expect(r3.isEmpty)
        let r4 = tracker.becameNotified([Self.status("ml/a", .drifted)])
        #expect(r4.map(\.key.identity) == ["ml/a"])
        let r5 = tracker.becameNotified([Self.status("ml/a", .ready)])
        #expect(r5.isEmpty)
        let r6 = tracker.becameNotified([Self.status("ml/a", .failed)])
        #expect(r6.map(\.key.identity) == ["ml/a"])
        // A second seed changes nothing.
        tracker.seed([])
        let r7 = tracker.becameNotified([Self.status("ml/a", .failed)])
        #expect(r7.isEmpty)
    }

    @Test("a run is notified when it fails after one that did not")
    func runs() {
        var tracker = TransitionTracker()
        let r8 = tracker.runEnded(failed: true)
        #expect(r8)
        let r9 = tracker.runEnded(failed: true)
        #expect(!r9)
        let r10 = tracker.runEnded(failed: false)
        #expect(!r10)
        let r11 = tracker.runEnded(failed: true)
        #expect(r11)
    }

    @Test("a receiver is logged by scheme and host only")
    func loggableReceivers() {
        #expect(Notifier.loggable("https://user:pass@hooks.slack.com/services/T0/B0/XYZ?token=abc") == "https://hooks.slack.com")
        #expect(Notifier.loggable("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000")
        #expect(Notifier.loggable("not a url") == "(unparsable URL)")
    }

    @Test("the body is Slack-compatible and its keys sorted")
    func body() throws {
        let message = NotificationMessage.object(kind: "RunQueue", id: "ml/gpu", state: "failed", error: "boom", replica: "r1", at: Date(timeIntervalSince1970: 0))
        let text = String(decoding: message.body(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"at":"1970-01-01T00:00:00Z","event":"object.failed","id":"ml/gpu","kind":"RunQueue","message":"boom""#), "\(text)")
        #expect(text.contains(#""text":"launchq: RunQueue ml/gpu is failed: boom""#), "\(text)")
    }

    @Test("a W&B request is timed under its operationName, never anything else")
    func operationNames() {
        #expect(TimedTransport.operationName(in: Array(#"{"operationName":"ReadEntities","query":"…"}"#.utf8)) == "ReadEntities")
        #expect(TimedTransport.operationName(in: Array(#"{"query":"…"}"#.utf8)) == "unknown")
        #expect(TimedTransport.operationName(in: Array(#"{"operationName":"a b\"","query":""}"#.utf8)) == "unknown")
    }
}
