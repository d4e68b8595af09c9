import Foundation
import Hummingbird
import Logging
import NIOCore

/// The sandbox's HTTP routes.
///
/// | route | what |
/// | --- | --- |
/// | `POST /graphql` | the W&B GraphQL API (HTTP Basic `api:<key>`) |
/// | `GET /_sandbox/counters` | ``SandboxCounters`` as JSON |
/// | `POST /_sandbox/reset-counters` | zero the counters |
/// | `POST /_sandbox/faults` | replace the fault plan; body = a fault spec (plain text or `{"spec": "..."}`) |
/// | `POST /_sandbox/api-keys` | `{"username": "..."}` → `{"apiKey": "..."}`: a new key for a user (admins only) |
/// | `GET /healthz` | 200, no auth |
/// | `/sdk/otel/...` | 404, so the SDK's telemetry switches itself off |
///
/// Every `/_sandbox` route needs the same Basic auth as `/graphql`, and `/_sandbox/faults` and
/// `/_sandbox/api-keys` an instance admin's key.
struct SandboxRouter {
    let endpoint: GraphQLEndpoint
    let maximumBodySize: Int

    func build() -> Router<SandboxRequestContext> {
        let router = Router(context: SandboxRequestContext.self)
        router.post("/graphql") { request, context in try await graphql(request, context) }
        router.get("/healthz") { _, _ in Response(status: .ok) }
        router.get("/_sandbox/counters") { request, _ in
            try await requireUser(request)
            let counters = await endpoint.monitor.counters
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Self.json(.ok, try encoder.encode(counters))
        }
        router.post("/_sandbox/reset-counters") { request, _ in
            try await requireUser(request)
            await endpoint.monitor.reset()
            return Response(status: .noContent)
        }
        router.post("/_sandbox/faults") { request, _ in
            let admin = try await requireUser(request)
            guard admin.admin else { return Self.message(.forbidden, "only instance admins can change faults") }
            let text = try await bodyText(request)
            let spec: String
            if let json = try? JSONValue(parsing: text), case .object = json {
                spec = json["spec"]?.stringValue ?? ""
            } else {
                spec = text
            }
            do {
                let plan = try FaultPlan.parse(spec)
                await endpoint.monitor.setFaults(plan)
                return Self.json(.ok, Data(JSONValue.object([("faults", .string(plan.description))]).compactText.utf8))
            } catch let error as SandboxError {
                return Self.message(.badRequest, error.message)
            }
        }
        router.post("/_sandbox/api-keys") { request, _ in
            let admin = try await requireUser(request)
            guard admin.admin else { return Self.message(.forbidden, "only instance admins can mint API keys") }
            let text = try await bodyText(request)
            guard let json = try? JSONValue(parsing: text), let username = json["username"]?.stringValue else {
                return Self.message(.badRequest, "body must be {\"username\": \"...\"}")
            }
            let secret = APIKeySecret.generate()
            do {
                _ = try await endpoint.store.mutate { state, now throws(SandboxError) in
                    try state.mintAPIKey(username: username, secret: secret, now: now)
                }
            } catch let error as SandboxError {
                return Self.message(error.code == .notFound ? .notFound : .internalServerError, error.message)
            }
            return Self.json(.ok, Data(JSONValue.object([("apiKey", .string(secret))]).compactText.utf8))
        }
        router.on("/sdk/otel/**", method: .post) { _, _ in Self.message(.notFound, "not found") }
        return router
    }

    private func graphql(_ request: Request, _ context: SandboxRequestContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch {
            await endpoint.monitor.rejected(as: "(invalid)")
            return Self.message(.contentTooLarge, "request body is larger than \(maximumBodySize) bytes")
        }
        let reply = await endpoint.handle(
            authorization: request.headers[.authorization], body: Array(body.readableBytesView))
        switch reply {
        case .drop:
            try? await context.channel.close()
            throw CancellationError()
        case .json(let status, let bytes, let retryAfter):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter {
                headers[.retryAfter] = retryAfter.rounded() == retryAfter ? String(Int(retryAfter)) : String(retryAfter)
            }
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    @discardableResult
    private func requireUser(_ request: Request) async throws -> UserRecord {
        guard let user = await endpoint.authenticate(request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, message: "invalid or missing API key")
        }
        return user
    }

    private func bodyText(_ request: Request) async throws -> String {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func message(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, Data(GraphQLEndpoint.errorBody(message)))
    }
}
