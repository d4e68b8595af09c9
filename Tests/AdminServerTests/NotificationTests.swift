@testable import AdminServer
import Foundation
import JSON
import Store
import Testing
import TestSupport
import WandbSandbox

/// `--notify-url`: an object that becomes failed is notified once, however many runs find it still failed; the
/// POST is signed, Slack-compatible and holds no secret; a refused delivery is retried; a run that fails is
/// notified once too.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct NotificationTests {
    static let notifySecret = "notify-" + String(repeating: "s3cr3t", count: 4)

    static func messages(_ received: [NotificationReceiver.Received]) -> [JSONValue] {
        received.compactMap { try? JSONValue(parsing: String(decoding: $0.body, as: UTF8.self)) }
    }

    @Test("one signed notification per transition, retried, no secret in it", .timeLimit(.minutes(4)))
    func oneNotificationPerTransition() async throws {
        let receiver = try await NotificationReceiver.start(refusals: 1)
        try await AdminHarness.with(configure: {
            $0.backoff.base = .seconds(60)
            $0.maxRounds = 1
            $0.notifications.urls = [receiver.url]
            $0.notifications.secret = WebhookSecret(Self.notifySecret)
            $0.notifications.firstRetryDelay = .milliseconds(50)
        }) { harness in
            let notifier = try #require(harness.services.runner.notifier)
            let delivery = Task { try await notifier.run() }
            defer { delivery.cancel() }
            let files = Bundles.small(prefix: "notify")
            try await Bundles.publish(files, to: harness.store)
            await harness.sandbox.setFaults(try FaultPlan.parse("500:1.0;op=UpsertRunQueue,CreateRunQueue,UpdateDefaultResourceConfig,CreateDefaultResourceConfig"))
            let runner = harness.services.runner
            let first = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
            #expect(first.outcome == "failed" && first.failed == 2, "\(first)")
            // Later runs defer the failing queues (backoff): they stay failed, and are not notified again.
            for _ in 0..<2 {
                let run = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
                #expect(run.deferred == 2, "\(run)")
            }
            #expect(try await harness.store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "notify/gpu"))?.state == .failed)
            // Delivery is in order: once this arrives, every earlier notification has.
            notifier.send(NotificationMessage(event: "test.sentinel", text: "sentinel", replica: "test", at: "now"))
            try await receiver.waitFor("the sentinel") { Self.messages($0).contains { $0["event"]?.string == "test.sentinel" } }

            let objects = Self.messages(receiver.received).filter { $0["event"]?.string == "object.failed" }
            #expect(objects.count == 2, "one per failing queue: \(objects)")
            #expect(objects.filter { $0["id"]?.string == "notify/gpu" }.count == 1, "\(objects)")
            #expect(objects.allSatisfy { $0["kind"]?.string == "RunQueue" && $0["text"]?.string?.contains("is failed") == true }, "\(objects)")
            #expect(receiver.refused == 1, "the first POST was refused and retried")
            for message in receiver.received {
                let header = message.headers[Notifier.signatureHeader.lowercased()]
                #expect(WebhookSignature.isValid(body: message.body, signatureHeader: header, secret: Array(Self.notifySecret.utf8)), "\(message.headers)")
                let text = String(decoding: message.body, as: UTF8.self)
                for secret in [Self.notifySecret, harness.sandboxKey, harness.adminToken, harness.viewerToken] {
                    #expect(!text.contains(secret), "a secret in \(text)")
                }
            }

            // W&B fails altogether: the run errors, notified once over two runs.
            await harness.sandbox.setFaults(try FaultPlan.parse("500:1.0"))
            for _ in 0..<2 {
                let run = await runner.run(ReconcileRequest(trigger: "schedule"), drain: DrainSignal())
                #expect(run.outcome == "error", "\(run)")
            }
            notifier.send(NotificationMessage(event: "test.sentinel2", text: "sentinel", replica: "test", at: "now"))
            try await receiver.waitFor("the second sentinel") { Self.messages($0).contains { $0["event"]?.string == "test.sentinel2" } }
            let runs = Self.messages(receiver.received).filter { $0["event"]?.string == "reconcile.failed" }
            #expect(runs.count == 1, "\(runs)")
            #expect(Self.messages(receiver.received).filter { $0["event"]?.string == "object.failed" }.count == 2)
        }
        await receiver.stop()
    }
}
