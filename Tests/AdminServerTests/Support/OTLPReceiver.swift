import Foundation
import Hummingbird
import JSON
import NIOCore
import Synchronization

/// A local OTLP/HTTP trace receiver (`POST /v1/traces`), in the test's process, on a port the kernel picked (read back,
/// never guessed). It keeps every body it is sent, and the spans of `http/json` bodies.
final class OTLPReceiver: Sendable {
    /// One received span: its name and attributes (values as text).
    struct ReceivedSpan: Sendable, CustomStringConvertible {
        var name: String
        var attributes: [String: String]
        var description: String { "\(name) \(attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })" }
    }

    private let server: LoopbackHTTPServer
    var port: Int { server.port }
    private let state: StateBox

    private init(server: LoopbackHTTPServer, state: StateBox) {
        self.server = server
        self.state = state
    }

    /// Spans received so far.
    var spans: [ReceivedSpan] { state.inbox.withLock { $0.spans } }
    /// Every request body received so far, as text.
    var bodies: [String] { state.inbox.withLock { $0.bodies } }

    /// The base URL to give as `OTEL_EXPORTER_OTLP_ENDPOINT`.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    static func start() async throws -> OTLPReceiver {
        let state = StateBox()
        let router = Router()
        router.post("v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            let text = String(decoding: body.readableBytesView, as: UTF8.self)
            // http/json is parsed; http/protobuf is kept as it came (its strings are plain UTF-8 in the bytes).
            let isJSON = request.headers[.contentType]?.hasPrefix("application/json") == true
            let spans = isJSON ? ((try? Self.spans(in: JSONValue(parsing: text))) ?? []) : []
            state.inbox.withLock {
                $0.bodies.append(text)
                $0.spans += spans
            }
            // An empty ExportTraceServiceResponse in the request's encoding.
            return isJSON
                ? Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
                : Response(status: .ok, headers: [.contentType: "application/x-protobuf"])
        }
        return OTLPReceiver(server: try await LoopbackHTTPServer.start(router, label: "otlp-receiver"), state: state)
    }

    /// Shares the inbox between the route and the receiver.
    private final class StateBox: Sendable {
        let inbox = Mutex<(spans: [ReceivedSpan], bodies: [String])>(([], []))
    }

    /// The spans of an `ExportTraceServiceRequest` in the OTLP JSON encoding.
    static func spans(in request: JSONValue) -> [ReceivedSpan] {
        var found: [ReceivedSpan] = []
        for resource in request["resourceSpans"]?.array ?? [] {
            for scope in resource["scopeSpans"]?.array ?? [] {
                for span in scope["spans"]?.array ?? [] {
                    var attributes: [String: String] = [:]
                    for attribute in span["attributes"]?.array ?? [] {
                        guard let key = attribute["key"]?.string, case .object(let value)? = attribute["value"] else { continue }
                        attributes[key] = value.values.first.map { $0.string ?? "\($0)" } ?? ""
                    }
                    found.append(ReceivedSpan(name: span["name"]?.string ?? "", attributes: attributes))
                }
            }
        }
        return found
    }

    func stop() async {
        await server.stop()
    }

    /// Waits until `condition` holds of the spans received (a generous deadline: the machine may be loaded).
    func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: ([ReceivedSpan]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(spans) {
            guard ContinuousClock.now < deadline else { throw NotificationReceiver.ReceiverTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
