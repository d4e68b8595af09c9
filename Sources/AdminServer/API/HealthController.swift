import JSON
import WandbAPI
import Declarations
import Hummingbird
import NIOCore
import Store

/// `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`: open endpoints.
struct HealthController {
    let services: AdminServices

    func register(router: Router<AdminRequestContext>) {
        router.get("healthz", use: health)
        router.get("readyz", use: ready)
        router.get("metrics", use: metrics)
        router.get("openapi.json", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: AdminRequestContext) async throws -> Response {
        Representation.response(.object(["status": .string("ok")]))
    }

    @Sendable func ready(_ request: Request, context: AdminRequestContext) async throws -> Response {
        switch await services.store.readiness() {
        case .ready:
            return Representation.response(.object(["status": .string("ready")]))
        case .migrationsPending(let pending):
            throw APIError(
                .unavailable, status: .serviceUnavailable, message: "\(pending.count) database migration(s) pending; run launchq migrate",
                details: .object(["pending": .array(pending.map { .string($0.name) })]))
        case .unavailable(let error):
            throw APIError(.unavailable, status: .serviceUnavailable, message: error.message)
        }
    }

    @Sendable func metrics(_ request: Request, context: AdminRequestContext) async throws -> Response {
        services.metrics.syncWandb(services.runner.client.stats)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.render())))
    }

    @Sendable func openAPI(_ request: Request, context: AdminRequestContext) async throws -> Response {
        Representation.response(OpenAPIDocument.document)
    }
}
