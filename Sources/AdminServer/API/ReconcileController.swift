import Foundation
import Declarations
import Hummingbird
import JSON
import Planning
import Reconciler
import Store

/// `GET /v1/plan`, `POST /v1/reconcile`, `POST /v1/suspend`, `POST /v1/resume`, `GET /v1/status`.
struct ReconcileController {
    let services: AdminServices

    func register(viewer: RouterGroup<AdminRequestContext>, admin: RouterGroup<AdminRequestContext>) {
        viewer.get("plan", use: AdminServer.timed(plan))
        viewer.get("status", use: AdminServer.timed(status))
        admin.post("reconcile", use: reconcile)
        admin.post("suspend", use: AdminServer.timed(suspend))
        admin.post("resume", use: AdminServer.timed(resume))
    }

    @Sendable func plan(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let result: (Revision, Plan)?
        do {
            result = try await services.runner.plan()
        } catch let error as StoreError {
            throw error
        } catch {
            throw APIError(.wandbFailed, status: .badGateway, message: "could not plan against W&B: \(ReconcileRunner.describe(error))")
        }
        guard let (revision, plan) = result else { throw APIError.notFound("no revision has been stored yet") }
        let encoded = try JSONEncoder().encode(plan)
        return Representation.response(.object([
            "revision": .integer(Int(revision.number)), "summary": .string(plan.summary), "hasChanges": .bool(plan.hasChanges),
            "text": .string(plan.text), "plan": Representation.parsed(String(decoding: encoded, as: UTF8.self)),
        ]))
    }

    /// `?kind=&id=` for one object; `?wait=true` answers when the run finished (200) instead of at once (202).
    ///
    /// Any replica records the request; the leader runs it (woken through PostgreSQL's `LISTEN/NOTIFY`). With
    /// `wait`, this replica polls the recorded request until the run ended, for at most the run timeout plus two
    /// lease periods (time for a new leader to take over); past that it answers 202 with the request as it stands.
    @Sendable func reconcile(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var object: ObjectKey?
        switch (query["kind"], query["id"]) {
        case (nil, nil): object = nil
        case (let kind?, let id?): object = ObjectKey(kind: String(kind), identity: String(id))
        default: throw APIError.badRequest("give both kind and id, or neither", details: .object(["parameter": .string("kind")]))
        }
        let wait = Self.isOn(query["wait"])
        let deletions = try Self.deletionOverrides(query)
        let (store, scheduler, actor, target) = (services.store, services.scheduler, context.actor, object)
        let relaxed = [
            deletions.allowNonemptyDelete ? "allowNonemptyDelete" : nil, deletions.maxDeletions.map { "maxDeletions=\($0)" },
        ].compactMap { $0 }
        let message = relaxed.isEmpty ? nil : "for this run: \(relaxed.joined(separator: ", "))"
        _ = try await Deadline.run(operation: {
            try await store.events.append(EventDraft(actor: actor, object: target, action: "reconcile.request", outcome: .succeeded, message: message))
        })
        let recorded = try await Deadline.run(operation: { try await scheduler.requestReconcile(target, by: actor, deletions: deletions) })
        guard wait else {
            return Representation.response(.object(["accepted": .bool(true), "request": Representation.request(recorded)]), status: .accepted)
        }
        let limit = services.configuration.runTimeout + services.configuration.leaseDuration * 2
        let current = try await scheduler.waitForRequest(recorded.id, limit: limit) ?? recorded
        guard current.state == .finished, let run = current.run else {
            return Representation.response(.object(["accepted": .bool(true), "request": Representation.request(current)]), status: .accepted)
        }
        return Representation.response(.object([
            "accepted": .bool(true), "request": Representation.request(current), "run": Representation.parsed(run),
        ]))
    }

    static func isOn(_ value: Substring?) -> Bool { ["true", "1", "yes"].contains(value.map { $0.lowercased() } ?? "") }

    /// `allowNonemptyDelete=true` and `maxDeletions=N`: the deletion guards relaxed for the requested run only, as
    /// `launchq apply --allow-nonempty-delete --max-deletions N` relaxes them for one apply.
    static func deletionOverrides(_ query: Parameters) throws -> DeletionOverrides {
        var deletions = DeletionOverrides(allowNonemptyDelete: isOn(query["allowNonemptyDelete"]))
        if let text = query["maxDeletions"] {
            guard let cap = Int(String(text)), cap >= 0 else {
                throw APIError.badRequest(
                    "maxDeletions must be an integer of 0 or more, got '\(text)'", details: .object(["parameter": .string("maxDeletions")]))
            }
            deletions.maxDeletions = cap
        }
        return deletions
    }

    /// Suspends scheduled reconciliation on every replica (the leader stops its schedule, whichever replica is asked).
    @Sendable func suspend(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let status = try await services.scheduler.suspend(by: context.actor)
        _ = try await services.store.events.append(EventDraft(actor: context.actor, action: "reconcile.suspend", outcome: .succeeded))
        return Representation.response(Representation.status(status))
    }

    @Sendable func resume(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let status = try await services.scheduler.resume(by: context.actor)
        _ = try await services.store.events.append(EventDraft(actor: context.actor, action: "reconcile.resume", outcome: .succeeded))
        return Representation.response(Representation.status(status))
    }

    @Sendable func status(_ request: Request, context: AdminRequestContext) async throws -> Response {
        Representation.response(Representation.status(await services.scheduler.currentStatus()))
    }
}
