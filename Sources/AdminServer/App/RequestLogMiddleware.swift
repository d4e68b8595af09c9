import Foundation
import Hummingbird
import Logging

/// One log line per HTTP request, at `info` — `method`, `route` (the matched pattern, e.g.
/// `/v1/objects/{kind}/{id}`; `NotFound`, Hummingbird's name, when no route matched), `status` and `duration_ms` —
/// and the same request counted and timed in the metrics (`launchq_http_requests_total{method,route,status}`,
/// `launchq_http_request_duration_seconds{route}`), from one measurement.
///
/// Never the raw path, the query string or any header: the status page takes `?token=`, tokens travel in
/// `Authorization`, and the raw path's ids are unbounded. Added first, so it sees the status the error middleware
/// answers with.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The route logged when no route matched.
    public static var unmatchedRoute: String { "NotFound" }

    let metrics: AdminMetrics

    public init(metrics: AdminMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            finish(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? HTTPResponse.Status.internalServerError.code
            finish(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func finish(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? Self.unmatchedRoute
        metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: elapsed)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(route),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
    }
}
