import Logging
import WandbAPI

/// A ``GraphQLTransport`` that times every attempt for `launchq_wandb_request_duration_seconds{operation}`, then
/// hands it to `inner`. The operation is the body's `operationName` (one of launchq's fixed operations: the label's
/// values are bounded); never the variables.
public struct TimedTransport: GraphQLTransport {
    let inner: any GraphQLTransport
    let metrics: AdminMetrics

    public init(inner: any GraphQLTransport = HTTPGraphQLTransport(), metrics: AdminMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public func send(_ request: GraphQLHTTPRequest, timeout: Duration, logger: Logger) async throws -> GraphQLHTTPResponse {
        let start = ContinuousClock.now
        defer { metrics.recordWandbRequest(operation: Self.operationName(in: request.body), duration: ContinuousClock.now - start) }
        return try await inner.send(request, timeout: timeout, logger: logger)
    }

    /// The `operationName` of a canonical GraphQL body (keys sorted: it comes first), `unknown` when absent.
    static func operationName(in body: [UInt8]) -> String {
        let marker = Array(#"{"operationName":""#.utf8)
        guard body.count > marker.count, body.starts(with: marker) else { return "unknown" }
        let rest = body[marker.count...].prefix(128)
        guard let end = rest.firstIndex(of: UInt8(ascii: "\"")) else { return "unknown" }
        let name = String(decoding: rest[..<end], as: UTF8.self)
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !name.isEmpty ? name : "unknown"
    }
}
