import Foundation
import Declarations
import Hummingbird
import JSON
import Store

/// `GET /v1/objects`, `GET /v1/objects/{kind}/{id}` (the id may contain `/`, as `entity/queue` does).
struct ObjectsController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>) {
        viewer.get("objects", use: AdminServer.timed(list))
        viewer.get("objects/:kind/**", use: AdminServer.timed(show))
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let kind = request.uri.queryParameters["kind"].map(String.init)
        var state: ObjectState?
        if let text = request.uri.queryParameters["state"] {
            guard let value = ObjectState(rawValue: String(text)) else {
                throw APIError.badRequest(
                    "state must be one of \(ObjectState.allCases.map(\.rawValue).joined(separator: ", "))",
                    details: .object(["parameter": .string("state")]))
            }
            state = value
        }
        let objects = try await services.store.objects.list(kind: kind, state: state)
        return Representation.objects(objects)
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
