import Foundation
import Hummingbird
import NIOCore
import Store

/// `GET /`: the HTML status page for viewers. `/?token=<secret>` verifies the token, stores it in an
/// HttpOnly cookie and redirects to `/`, so the secret leaves the address bar and the history.
struct StatusPageController {
    let services: AdminServices
    /// The counts summaries `GET /v1/objects` uses (computed once per change of the objects, shared).
    let summaries: ObjectSummaries

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

    /// One page of objects (as `GET /v1/objects` pages them, `?cursor=` for the next), fleet-wide counts.
    @Sendable func page(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let query = try ObjectsQuery(request)
        let all = try await summaries.summary(ObjectFilter(), store: services.store.objects)
        let summary = query.filter == ObjectFilter() ? all : try await summaries.summary(query.filter, store: services.store.objects)
        let objects = try await services.store.objects.page(query.filter, after: query.after, limit: query.limit)
        let state = try await services.store.revisions.currentDesiredState()
        let events = try await services.store.events.page(limit: 20, before: nil, object: nil).events
        let status = await services.scheduler.currentStatus()
        var model = StatusPage.Model(objects: objects.objects, revision: state?.revision, events: events, notice: Self.notice(status))
        model.counts = StatusPage.Model.counts(all.counts)
        model.nextPage = objects.next.map { Self.link(query, after: $0) }
        if query.after != nil || objects.next != nil || query.filter != ObjectFilter() {
            model.pageSummary = Self.describe(query, shown: objects.objects.count, of: summary.total)
        }
        model.policies = (state?.declarations ?? []).compactMap(StatusPage.Model.PolicyRow.init).sorted { $0.name < $1.name }
        model.backlog = StatusPage.Model.backlogRows(services.metrics.queueBacklog, at: Date())
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

    /// `?cursor=…` with the filter and limit of `query` kept, percent-encoded.
    static func link(_ query: ObjectsQuery, after key: ObjectKey) -> String {
        var items: [URLQueryItem] = []
        if let kind = query.filter.kind { items.append(.init(name: "kind", value: kind)) }
        if let state = query.filter.state { items.append(.init(name: "state", value: state.rawValue)) }
        if let entity = query.filter.entity { items.append(.init(name: "entity", value: entity)) }
        if query.limit != ObjectsQuery.defaultLimit { items.append(.init(name: "limit", value: String(query.limit))) }
        items.append(.init(name: "cursor", value: ObjectsQuery.cursor(after: key)))
        var components = URLComponents()
        components.queryItems = items
        return "?" + (components.percentEncodedQuery ?? "")
    }

    /// "Showing 500 of 10000 objects (kind RunQueue, entity ml), continued from a previous page", above the table.
    static func describe(_ query: ObjectsQuery, shown: Int, of total: Int) -> String {
        var filters: [String] = []
        if let kind = query.filter.kind { filters.append("kind \(kind)") }
        if let state = query.filter.state { filters.append("state \(state.rawValue)") }
        if let entity = query.filter.entity { filters.append("entity \(entity)") }
        return "Showing \(shown) of \(total) objects" + (filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))")
            + (query.after == nil ? "" : ", continued from a previous page")
    }
}
