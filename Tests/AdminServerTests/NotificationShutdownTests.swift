@testable import AdminServer
import Foundation
import JSON
import Logging
import ServiceLifecycle
import Testing

/// Notifications still queued when `serve` shuts down are delivered (one attempt each) instead of dropped, and a
/// retry that is waiting when shutdown begins is made at once rather than after its wait.
@Suite struct NotificationShutdownTests {
    @Test("shutdown delivers what is queued, and the waiting retry, within the drain timeout", .timeLimit(.minutes(2)))
    func shutdownDrainsTheQueue() async throws {
        let receiver = try await NotificationReceiver.start(refusals: 1)
        var configuration = Notifier.Configuration()
        configuration.urls = [receiver.url]
        // Long enough that only shutdown can end the wait before the test's time limit.
        configuration.firstRetryDelay = .seconds(600)
        configuration.drainTimeout = .seconds(30)
        var logger = Logger(label: "notifier-test")
        logger.logLevel = .critical
        let notifier = Notifier(configuration: configuration, replica: "r1", logger: logger)
        let group = ServiceGroup(services: [notifier], logger: logger)
        let running = Task { try await group.run() }

        let at = Date(timeIntervalSince1970: 1_800_000_000)
        for id in ["team/a", "team/b", "team/c"] {
            notifier.send(.object(kind: "RunQueue", id: id, state: "failed", error: nil, replica: "r1", at: at))
        }
        // The first message was refused once and now waits 600 s for its retry; the other two wait behind it.
        try await receiver.waitForRefusal()
        #expect(receiver.received.isEmpty)

        await group.triggerGracefulShutdown()
        try await running.value
        let ids = receiver.received.compactMap { try? JSONValue(parsing: $0.body)["id"]?.string }
        #expect(ids == ["team/a", "team/b", "team/c"])
        await receiver.stop()
    }
}
