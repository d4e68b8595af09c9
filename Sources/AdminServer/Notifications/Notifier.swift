import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Store
import Synchronization

/// Sends ``NotificationMessage``s to the `--notify-url` receivers: a JSON POST each, signed with HMAC-SHA256 in
/// `X-Launchq-Signature-256: sha256=<hex>` when a secret is set, retried with backoff.
///
/// Delivery runs in its own service, off the reconcile path: ``notice(objects:)`` and ``noticeRun(_:)`` only queue
/// (at most ``Configuration/queueLimit`` messages; the oldest are dropped past it), so a slow or absent receiver
/// never delays a run. At shutdown what is still queued is delivered, one attempt each, within
/// ``Configuration/drainTimeout``. Receiver URLs are logged by scheme and host only (a Slack URL's path is its
/// credential).
public final class Notifier: Service, Sendable {
    /// Receivers, secret and retry bounds.
    public struct Configuration: Sendable {
        /// Where notifications are POSTed (none: nothing is sent).
        public var urls: [String] = []
        /// Signs each body when set.
        public var secret: WebhookSecret?
        /// Most attempts per receiver and message.
        public var attempts = 5
        /// The wait before the first retry, doubled after each (at most ``maximumRetryDelay``).
        public var firstRetryDelay: Duration = .seconds(1)
        public var maximumRetryDelay: Duration = .seconds(60)
        /// How long one POST may take.
        public var requestTimeout: Int64 = 10
        /// Most messages waiting to be sent.
        public var queueLimit = 100
        /// At shutdown: how long delivering what is still queued may take in all (one attempt per message and
        /// receiver, no more retries); what is left after it is dropped and logged.
        public var drainTimeout: Duration = .seconds(5)

        public init() {}
    }

    /// The header carrying the signature.
    public static let signatureHeader = "X-Launchq-Signature-256"

    let configuration: Configuration
    let replica: String
    let logger: Logger
    private let stream: AsyncStream<NotificationMessage>
    private let continuation: AsyncStream<NotificationMessage>.Continuation
    private let tracker = Mutex(TransitionTracker())
    /// Set when graceful shutdown begins: until when what is still queued may be delivered.
    private let drainDeadline = Mutex<ContinuousClock.Instant?>(nil)

    public init(configuration: Configuration, replica: String, logger: Logger) {
        self.configuration = configuration
        self.replica = replica
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: NotificationMessage.self, bufferingPolicy: .bufferingNewest(configuration.queueLimit))
    }

    /// `true` until the states before the first run are known.
    var needsSeed: Bool { !tracker.withLock { $0.isSeeded } }

    /// Remembers the objects' states before this process's first run.
    func seed(_ objects: [ObjectStatus]) { tracker.withLock { $0.seed(objects) } }

    /// Queues one message per object that became failed or drifted since the last call.
    func notice(objects: [ObjectStatus]) {
        let now = Date()
        for object in tracker.withLock({ $0.becameNotified(objects) }) {
            send(.object(kind: object.key.kind, id: object.key.identity, state: object.state.rawValue, error: object.lastError, replica: replica, at: now))
        }
    }

    /// Queues a message when `run` failed and the run before it did not.
    func noticeRun(_ run: ReconcileRun, failed: Bool) {
        guard tracker.withLock({ $0.runEnded(failed: failed) }) else { return }
        send(.runFailed(message: run.message, trigger: run.trigger, replica: replica, at: Date()))
    }

    func send(_ message: NotificationMessage) {
        guard !configuration.urls.isEmpty else { return }
        continuation.yield(message)
    }

    /// Delivers queued messages until shutdown; then delivers what is still queued (one attempt each, within
    /// ``Configuration/drainTimeout``) and returns.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await message in stream {
                for url in configuration.urls { await deliver(message, to: url) }
            }
        } onGracefulShutdown: {
            self.drainDeadline.withLock { $0 = ContinuousClock.now + self.configuration.drainTimeout }
            self.continuation.finish()
        }
    }

    /// POSTs `message` to `url`, retrying a failed attempt (no answer, 408, 429, 5xx) with doubling waits; once
    /// shutdown began, one last attempt within the drain deadline, or none past it.
    func deliver(_ message: NotificationMessage, to url: String) async {
        let body = message.body()
        var delay = configuration.firstRetryDelay
        var attempt = 0
        while true {
            attempt += 1
            let deadline = drainDeadline.withLock { $0 }
            var timeout = configuration.requestTimeout
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else {
                    logger.error("dropped a notification at shutdown", metadata: ["receiver": "\(Self.loggable(url))", "event": "\(message.event)"])
                    return
                }
                timeout = min(timeout, max(1, left.components.seconds + 1))
            }
            var outcome: String
            do {
                let status = try await post(body, to: url, timeout: timeout)
                if (200..<300).contains(status) { return }
                outcome = "HTTP \(status)"
                if (400..<500).contains(status) && status != 408 && status != 429 { break }
            } catch {
                outcome = "no answer"
            }
            logger.warning(
                "could not deliver a notification",
                metadata: ["receiver": "\(Self.loggable(url))", "event": "\(message.event)", "attempt": "\(attempt)", "outcome": "\(outcome)"])
            guard attempt < configuration.attempts, deadline == nil else { break }
            // Shutdown during the wait ends it early: the next attempt is the last.
            let wait = delay
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            delay = min(delay * 2, configuration.maximumRetryDelay)
        }
        logger.error("gave up delivering a notification", metadata: ["receiver": "\(Self.loggable(url))", "event": "\(message.event)"])
    }

    private func post(_ body: [UInt8], to url: String, timeout: Int64) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "launchq")
        if let secret = configuration.secret {
            request.headers.add(name: Self.signatureHeader, value: WebhookSignature.signature(body: body, secret: secret.bytes))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        _ = try await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }

    /// `scheme://host[:port]` of a receiver: never its user, password, path or query.
    static func loggable(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "(unparsable URL)" }
        return "\(components.scheme ?? "?")://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
