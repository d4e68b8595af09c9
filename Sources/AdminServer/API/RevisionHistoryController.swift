import Foundation
import Hummingbird
import JSON
import Store

/// `GET /v1/revisions/{n}/diff?against=m` and `POST /v1/revisions/{n}/restore`: using the desired-state history.
struct RevisionHistoryController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>, admin: RouterGroup<AdminRequestContext>) {
        viewer.get("revisions/:number/diff", use: AdminServer.timed(diff))
        admin.post("revisions/:number/restore", use: AdminServer.timed(restore))
    }

    /// Revision `n` against `against` (default `n - 1`; before the first revision, against nothing): declarations
    /// added, removed and changed with their field paths (``RevisionDiff``).
    @Sendable func diff(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let number = try Self.number(context)
        let explicit = try Paging.cursor(request, "against")
        guard let state = try await services.store.revisions.desiredState(at: number) else {
            throw APIError.notFound("no revision \(number)")
        }
        let againstNumber = explicit ?? (number > 1 ? number - 1 : nil)
        var older: [DeclarationRecord] = []
        if let againstNumber {
            guard let other = try await services.store.revisions.desiredState(at: againstNumber) else {
                throw APIError(.notFound, status: .notFound, message: "no revision \(againstNumber) to diff against",
                               details: .object(["parameter": .string("against")]))
            }
            older = other.declarations
        }
        let diff = RevisionDiff.between(old: older, new: state.declarations)
        func key(_ key: ObjectKey) -> JSONValue { .object(["kind": .string(key.kind), "id": .string(key.identity)]) }
        return Representation.response(.object([
            "revision": .integer(Int(number)), "against": againstNumber.map { .integer(Int($0)) } ?? .null,
            "empty": .bool(diff.isEmpty), "unchanged": .integer(diff.unchanged),
            "added": .array(diff.added.map(key)), "removed": .array(diff.removed.map(key)),
            "changed": .array(diff.changed.map { change in
                .object(["kind": .string(change.key.kind), "id": .string(change.key.identity), "fields": .array(change.fields.map { .string($0) })])
            }),
        ]))
    }

    /// Publishes revision `n`'s declarations, byte for byte, as a new current revision (`If-Match` as for a push;
    /// 409 `source_managed` when a `--source` owns the desired state), then asks for a reconcile. Restoring the
    /// content of the current revision stores nothing (200, `created: false`).
    @Sendable func restore(_ request: Request, context: AdminRequestContext) async throws -> Response {
        if let source = services.sourceSync?.source { throw APIError.sourceManaged(by: source) }
        let number = try Self.number(context)
        let expected = try ETag.expected(request)
        guard let state = try await services.store.revisions.desiredState(at: number) else {
            throw APIError.notFound("no revision \(number)")
        }
        let source = RevisionSource(kind: "api", location: "restored from revision \(number) by \(context.actor)", author: context.actor)
        let draft = RevisionDraft(source: source, contentHash: state.revision.contentHash, declarations: state.declarations)
        let current: RevisionNumber?
        switch expected {
        case .any: current = try await services.store.revisions.current()?.number
        case .revision(let value): current = value
        }
        let stored = try await services.store.revisions.publish(draft, expectedCurrent: current)
        if stored.created {
            _ = try await services.store.events.append(EventDraft(
                actor: context.actor, action: "revision.restore", outcome: .succeeded,
                message: "restored revision \(number)", revision: stored.revision.number))
            _ = await services.scheduler.submit(ReconcileRequest(trigger: "revision"), wait: false)
        }
        guard case .object(var members) = Representation.revision(stored.revision) else { fatalError("a revision is an object") }
        members["created"] = .bool(stored.created)
        members["restoredFrom"] = .integer(Int(number))
        return Representation.response(
            .object(members), status: stored.created ? .created : .ok,
            headers: [.eTag: ETag.make(stored.revision.number), .location: "/v1/revisions/\(stored.revision.number)"])
    }

    private static func number(_ context: AdminRequestContext) throws -> RevisionNumber {
        guard let number = RevisionNumber(try context.parameters.require("number")), number > 0 else {
            throw APIError.badRequest("revision number must be a positive integer")
        }
        return number
    }
}
