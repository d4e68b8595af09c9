import Hummingbird

/// Counts HTTP requests (`launchq_http_requests_total{method,route,status}`) and times them
/// (`launchq_http_request_duration_seconds{route}`), by the route the request log names (the matched pattern,
/// ``RequestLogMiddleware/unmatchedRoute`` when none matched): never the raw path, whose ids are unbounded.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: AdminMetrics

    public init(metrics: AdminMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? HTTPResponse.Status.internalServerError.code
            record(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        metrics.recordRequest(
            method: request.method.rawValue, route: context.endpointPath ?? RequestLogMiddleware<Context>.unmatchedRoute, status: status,
            duration: ContinuousClock.now - start)
    }
}
