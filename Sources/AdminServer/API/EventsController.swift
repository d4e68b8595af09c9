import Declarations
import Hummingbird
import JSON
import Store

/// `GET /v1/events`: the audit log, newest first, `limit` at a time; `before` is the previous page's `nextCursor`.
struct EventsController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.get("events", use: AdminServer.timed(list))
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let limit = try Paging.limit(request)
        let before = try Paging.cursor(request, "before")
        let query = request.uri.queryParameters
        var object: ObjectKey?
        switch (query["kind"], query["id"]) {
        case (nil, nil): object = nil
        case (let kind?, let id?): object = ObjectKey(kind: String(kind), identity: String(id))
        default: throw APIError.badRequest("give both kind and id, or neither", details: .object(["parameter": .string("kind")]))
        }
        let page = try await services.store.events.page(limit: limit, before: before, object: object)
        return Representation.response(.object([
            "events": .array(page.events.map(Representation.event)),
            "nextCursor": page.nextCursor.map { .integer(Int($0)) } ?? .null,
        ]))
    }
}
