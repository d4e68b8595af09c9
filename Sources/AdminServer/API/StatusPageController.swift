import Foundation
import Hummingbird
import NIOCore
import Store

/// `GET /`: the HTML status page for viewers. `/?token=<secret>` verifies the token, stores it in an
/// HttpOnly cookie and redirects to `/`, so the secret leaves the address bar and the history.
struct StatusPageController {
    let services: AdminServices

    func register(router: Router<AdminRequestContext>) {
        router.get("/", use: AdminServer.timed(login))
    }

    /// With `?token=`: sets the cookie and redirects; otherwise renders (authenticated by header or cookie).
    @Sendable func login(_ request: Request, context: AdminRequestContext) async throws -> Response {
        guard let secret = request.uri.queryParameters["token"].map(String.init) else {
            let auth = AuthMiddleware(verifier: services.store.tokens, required: .viewer, allowCookie: true)
            return try await auth.handle(request, context: context) { request, context in try await page(request, context: context) }
        }
        guard let token = try await services.store.tokens.verify(secret: secret) else {
            throw APIError.unauthorized("the token is unknown or revoked")
        }
        guard token.role.allows(.viewer) else { throw APIError(.forbidden, status: .forbidden, message: "the token cannot view") }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(.init(name: StatusPageCookie.name, value: secret, maxAge: 8 * 3600, path: "/", secure: false, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func page(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let objects = try await services.store.objects.list()
        let state = try await services.store.revisions.currentDesiredState()
        let events = try await services.store.events.page(limit: 20, before: nil, object: nil).events
        let status = await services.scheduler.currentStatus()
        var model = StatusPage.Model(objects: objects, revision: state?.revision, events: events, notice: Self.notice(status))
        model.policies = (state?.declarations ?? []).compactMap(StatusPage.Model.PolicyRow.init).sorted { $0.name < $1.name }
        let html = StatusPage.render(model)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What the page says above everything else: a `launchq apply` holding the lease, a suspension (every replica agrees).
    static func notice(_ status: Scheduler.Status) -> String? {
        var parts: [String] = []
        if let apply = status.cliApply {
            parts.append("\(apply.holder) holds the reconciler lease since \(UTCTime.iso8601(apply.since)); no replica reconciles until it ends.")
        }
        if status.suspended { parts.append("Scheduled reconciliation is suspended.") }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
