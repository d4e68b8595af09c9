import Foundation
import Hummingbird
import Synchronization

/// A local HTTP receiver for notifications, in the test's process, on a port the kernel picked (read back, never
/// guessed). It refuses the first `refusals` POSTs with 503 (so retries are exercised) and keeps the others.
final class NotificationReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
    }

    private let server: LoopbackHTTPServer
    var port: Int { server.port }
    private let inbox: Inbox

    /// What arrived, shared with the route.
    final class Inbox: Sendable {
        let state: Mutex<(refusals: Int, refused: Int, received: [Received])>
        init(refusals: Int) { state = Mutex((refusals, 0, [])) }
    }

    private init(server: LoopbackHTTPServer, inbox: Inbox) {
        self.server = server
        self.inbox = inbox
    }

    /// Kept POSTs so far.
    var received: [Received] { inbox.state.withLock { $0.received } }
    /// POSTs answered 503 so far.
    var refused: Int { inbox.state.withLock { $0.refused } }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    static func start(refusals: Int = 0) async throws -> NotificationReceiver {
        let inbox = Inbox(refusals: refusals)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            return inbox.state.withLock { state in
                if state.refused < state.refusals {
                    state.refused += 1
                    return .serviceUnavailable
                }
                state.received.append(Received(headers: headers, body: Array(body.readableBytesView)))
                return .ok
            }
        }
        return NotificationReceiver(server: try await LoopbackHTTPServer.start(router, label: "notification-receiver"), inbox: inbox)
    }

    func stop() async {
        await server.stop()
    }

    /// Waits until `condition` holds of the kept POSTs (a generous deadline: the machine may be loaded).
    func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: ([Received]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(received) {
            guard ContinuousClock.now < deadline else { throw ReceiverTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until a POST was refused (a generous deadline: the machine may be loaded).
    func waitForRefusal(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while refused == 0 {
            guard ContinuousClock.now < deadline else { throw ReceiverTimeout(what: "a refused POST") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    struct ReceiverTimeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "the receiver did not get \(what) in time" }
    }
}
