import Foundation
import Hummingbird
import Logging

/// One log line per HTTP request, at `info`: `method`, `route` (the matched pattern, e.g.
/// `/v1/objects/{kind}/{id}`; `NotFound`, Hummingbird's name, when no route matched), `status` and `duration_ms`.
///
/// Never the raw path, the query string or any header: the status page takes `?token=`, and tokens travel in
/// `Authorization`. Added first, so it sees the status the error middleware answers with.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The route logged when no route matched.
    public static var unmatchedRoute: String { "NotFound" }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? HTTPResponse.Status.internalServerError.code
            log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? Self.unmatchedRoute),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
    }
}
