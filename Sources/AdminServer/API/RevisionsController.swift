import Foundation
import Declarations
import Hummingbird
import JSON
import Store

/// `GET /v1/revisions`, `GET /v1/revisions/{n}`, `POST /v1/revisions` (push a bundle with `If-Match`).
struct RevisionsController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>, admin: RouterGroup<AdminRequestContext>) {
        viewer.get("revisions", use: AdminServer.timed(list))
        viewer.get("revisions/:number", use: AdminServer.timed(show))
        admin.post("revisions", use: AdminServer.timed(publish))
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let limit = try Paging.limit(request)
        let before = try Paging.cursor(request, "before")
        let revisions = try await services.store.revisions.list(limit: limit + 1, before: before)
        let current = try await services.store.revisions.current()
        let page = revisions.prefix(limit)
        return Representation.response(
            .object([
                "revisions": .array(page.map(Representation.revision)),
                "current": current.map { .integer(Int($0.number)) } ?? .null,
                "nextCursor": revisions.count > limit ? page.last.map { .integer(Int($0.number)) } ?? .null : .null,
            ]),
            headers: [.eTag: ETag.make(current?.number)])
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        guard let number = RevisionNumber(try context.parameters.require("number")) else {
            throw APIError.badRequest("revision number must be an integer")
        }
        guard let state = try await services.store.revisions.desiredState(at: number) else {
            throw APIError.notFound("no revision \(number)")
        }
        guard case .object(var members) = Representation.revision(state.revision) else { fatalError("a revision is an object") }
        members["declarations"] = .array(state.declarations.map { Representation.declaration($0, withDocument: false) })
        return Representation.response(.object(members))
    }

    /// Validates first (400 with diagnostics, nothing stored), then stores and makes current if `If-Match`
    /// still names the current revision (412 otherwise), then asks for a reconcile.
    ///
    /// A service with a `--source` owns its desired state through that source: a push is refused with 409
    /// `source_managed` before anything is read or stored.
    @Sendable func publish(_ request: Request, context: AdminRequestContext) async throws -> Response {
        if let source = services.sourceSync?.source { throw APIError.sourceManaged(by: source) }
        let expected = try ETag.expected(request)
        var bundle = try await JSONBody.decode(Bundle.self, from: request)
        try bundle.checkFiles()
        // The bundle's text as bytes, then each file's bytes let go once read and its declarations once their records are made.
        let files = bundle.files.map { (path: $0.path, contents: Array($0.content.utf8)) }
        bundle.files = []
        let validated = DesiredStateCodec.draft(
            validating: consume files, source: RevisionSource(kind: "api", location: context.actor),
            kubernetesVersion: services.configuration.kubernetesVersion)
        let report = validated.report
        try report.refuseIfInvalid()
        // Invalid declarations are answered before a bad `source`, as before.
        let source = try bundle.revisionSource(actor: context.actor)
        var draft = validated.draft
        draft.source = source
        let current: RevisionNumber?
        switch expected {
        case .any: current = try await services.store.revisions.current()?.number
        case .revision(let number): current = number
        }
        let stored = try await services.store.revisions.publish(draft, expectedCurrent: current)
        if stored.created {
            _ = try await services.store.events.append(EventDraft(
                actor: context.actor, action: "revision.publish", outcome: .succeeded,
                message: "\(source.kind) \(source.location)\(source.commit.map { " @ \($0)" } ?? "")", revision: stored.revision.number))
            _ = await services.scheduler.submit(ReconcileRequest(trigger: "revision"), wait: false)
        }
        guard case .object(var members) = Representation.revision(stored.revision) else { fatalError("a revision is an object") }
        members["created"] = .bool(stored.created)
        members["warnings"] = report.warningCount > 0 ? report.diagnosticsJSON : .array([])
        return Representation.response(
            .object(members), status: stored.created ? .created : .ok,
            headers: [.eTag: ETag.make(stored.revision.number), .location: "/v1/revisions/\(stored.revision.number)"])
    }
}

extension APIError {
    /// 409 `source_managed`: the push would be overwritten at the next sync of `source`. Names the source
    /// by kind and location, credentials redacted.
    static func sourceManaged(by source: any DeclarationSource) -> Self {
        let named = "\(source.kind) \(URLRedaction.redact(source.location))"
        return .init(
            .sourceManaged, status: .conflict,
            message: "this service's desired state comes from its source (\(named)); change the source instead of pushing. Nothing was stored",
            details: .object(["source": .object(["kind": .string(source.kind), "location": .string(URLRedaction.redact(source.location))])]))
    }
}

/// Revision numbers as entity tags: `"7"`; `"0"` before the first revision.
enum ETag {
    enum Expected: Equatable {
        case any
        case revision(RevisionNumber?)
    }

    static func make(_ number: RevisionNumber?) -> String { "\"\(number ?? 0)\"" }

    /// The `If-Match` of a write: required (428 without), a revision number (quoted or not, `0` for none yet) or `*`.
    static func expected(_ request: Request) throws -> Expected {
        guard let header = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw APIError(
                .preconditionRequired, status: .preconditionRequired,
                message: "If-Match is required: the current revision number (0 before the first), or * to overwrite whatever is current")
        }
        if header == "*" { return .any }
        var text = Substring(header)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let number = RevisionNumber(text), number >= 0 else {
            throw APIError.badRequest("If-Match must be a revision number or *, got '\(header)'", details: .object(["header": .string("If-Match")]))
        }
        return .revision(number == 0 ? nil : number)
    }
}

/// `limit` and cursor query parameters.
enum Paging {
    static func limit(_ request: Request, default defaultLimit: Int = 50) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return defaultLimit }
        guard let limit = Int(String(text)), (1...500).contains(limit) else {
            throw APIError.badRequest("limit must be an integer from 1 to 500", details: .object(["parameter": .string("limit")]))
        }
        return limit
    }

    static func cursor(_ request: Request, _ name: String) throws -> Int64? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int64(String(text)) else {
            throw APIError.badRequest("\(name) must be an integer", details: .object(["parameter": .string(name)]))
        }
        return value
    }
}
