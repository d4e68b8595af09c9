import Foundation
import Declarations
import Hummingbird
import JSON
import Store

/// `GET /v1/objects` (paged, with `ETag`), `GET /v1/objects/{kind}/{id}` (the id may contain `/`, as `entity/queue` does).
struct ObjectsController {
    let services: AdminServices
    /// Concurrent listings of one filter share a summary query (and the status page shares them too).
    let summaries: ObjectSummaries
    /// Requests for the same page of the same snapshot share its rendered body.
    let pages = ObjectPages()

    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.get("objects", use: AdminServer.timed(list))
        viewer.get("objects/:kind/**", use: AdminServer.timed(show))
    }

    /// A page in (kind, identity) order. The `ETag` comes from the summary read before the page, so the body is
    /// never older than its tag: a poller may refetch once needlessly, but never keeps a stale copy. The summary is
    /// recomputed and the page re-read only when the objects changed (``ObjectSummaries``, ``ObjectPages``).
    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let query = try ObjectsQuery(request)
        let summary = try await summaries.summary(query.filter, store: services.store.objects)
        // The backlog (issue 15) is part of the answer, so of its tag too.
        let backlog = services.metrics.backlogSnapshot
        var tag = ObjectsQuery.entityTag(summary)
        if !backlog.fingerprint.isEmpty { tag = String(tag.dropLast()) + backlog.fingerprint + "\"" }
        if ObjectsQuery.matches(request, tag: tag) { return Representation.notModified(entityTag: tag) }
        let objects = services.store.objects
        let body = try await pages.body(for: .init(query: query, version: summary.version, entityTag: tag)) {
            let page = try await objects.page(query.filter, after: query.after, limit: query.limit)
            return Representation.objectsPageBody(page, summary: summary, backlog: backlog)
        }
        return Representation.objectsPage(body: body, entityTag: tag)
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        // Path segments arrive percent-encoded: identities may hold any character (`%2F` included).
        let kind = try context.parameters.require("kind").removingPercentEncoding ?? ""
        let identity = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }.joined(separator: "/")
        let key = ObjectKey(kind: kind, identity: identity)
        let status = try await services.store.objects.status(of: key)
        let desired = try await services.store.revisions.currentDesiredState()?.declarations.first { $0.kind == kind && $0.identity == identity }
        guard status != nil || desired != nil else { throw APIError.notFound("no managed object \(key)") }
        let events = try await services.store.events.page(limit: 50, before: nil, object: key)
        var members: [String: JSONValue] = [
            "kind": .string(kind), "id": .string(identity),
            "status": status.map(Representation.object) ?? .null,
            "desired": desired.map { Representation.declaration($0, withDocument: true) } ?? .null,
            "observed": status?.observedState.map(Representation.parsed) ?? .null,
            "events": .array(events.events.map(Representation.event)),
        ]
        members["eventsCursor"] = events.nextCursor.map { .integer(Int($0)) } ?? .null
        return Representation.response(.object(members))
    }
}
