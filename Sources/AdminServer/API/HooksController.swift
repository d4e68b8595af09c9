import HTTPTypes
import Declarations
import Hummingbird
import JSON
import NIOCore
import Store

/// `POST /v1/hooks/git`: a push notification (GitHub/Gitea style), authenticated by `X-Hub-Signature-256`
/// (HMAC-SHA256 of the body with the webhook secret). Pulls the git source, publishes it, reconciles.
struct HooksController {
    let services: AdminServices

    func register(router: Router<AdminRequestContext>) {
        router.post("v1/hooks/git", use: push)
    }

    @Sendable func push(_ request: Request, context: AdminRequestContext) async throws -> Response {
        guard let secret = services.configuration.webhookSecret, let sync = services.sourceSync, sync.source is GitSource else {
            throw APIError(.noSource, status: .notFound, message: "no git source with a webhook secret is configured")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: AdminServer.Configuration.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge
        }
        let signature = request.headers[HTTPField.Name(WebhookSignature.headerName)!]
        guard WebhookSignature.isValid(body: Array(body.readableBytesView), signatureHeader: signature, secret: secret.bytes) else {
            throw APIError(.badSignature, status: .unauthorized, message: "missing or wrong \(WebhookSignature.headerName)")
        }
        let outcome = try await sync.sync(pull: true)
        var answer: [String: JSONValue] = [:]
        switch outcome {
        case .published(let number):
            answer["revision"] = .integer(Int(number))
            answer["outcome"] = .string("published")
            _ = await services.scheduler.submit(ReconcileRequest(trigger: "webhook"), wait: false)
        case .unchanged:
            answer["outcome"] = .string("unchanged")
        case .refused(let summary):
            answer["outcome"] = .string("refused")
            answer["message"] = .string(summary)
        }
        return Representation.response(.object(answer), status: .accepted)
    }
}
