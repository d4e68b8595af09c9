import Declarations
import Foundation
import JSON
import Planning
import Reconciler
import Store

/// Records reconciliations in PostgreSQL: an event before and after every write, each object's status, and
/// what W&B holds for the declared queues.
public struct StoreRecorder: ApplyRecorder {
    public let events: any EventRepository
    public let objects: any ObjectStatusRepository
    /// Who is acting, for the audit log (`launchq apply`, `launchq serve`).
    public var actor: String
    public var revision: RevisionNumber?

    public init(events: any EventRepository, objects: any ObjectStatusRepository, actor: String, revision: RevisionNumber? = nil) {
        self.events = events
        self.objects = objects
        self.actor = actor
        self.revision = revision
    }

    public func lastApplied() async throws -> [String: String] {
        try await Self.lastApplied(from: objects)
    }

    public func willApply(_ step: PlanStep) async throws {
        _ = try await events.append(draft(step, outcome: .started, message: nil))
    }

    public func didApply(_ step: PlanStep, outcome: StepOutcome) async throws {
        // A deferred step (backing off) was held back by the run's gate: its status stays as its last attempt left it.
        if case .deferred = outcome.status { return }
        let key = ObjectKey(kind: step.subject.rawValue, identity: step.identity)
        let previous = try await objects.status(of: key)
        var status = ObjectStatus(
            key: key, desiredHash: step.declarationHash ?? previous?.desiredHash, wandbID: step.wandbID ?? previous?.wandbID, state: .pending,
            attempts: (previous?.attempts ?? 0) + 1, lastReconciledAt: Date())
        let eventOutcome: EventOutcome
        var message: String?
        switch outcome.status {
        case .succeeded:
            eventOutcome = .succeeded
            status.state = .ready
            status.attempts = 0
            if step.action == .delete {
                _ = try await objects.remove(key)
                _ = try await events.append(draft(step, outcome: eventOutcome, message: nil))
                return
            }
            status.appliedPolicy = step.policy.map(Self.encodePolicy)
            status.observedState = step.desired.map(CanonicalJSON.string)
            status.observedHash = step.desired.map { ContentHash.sha256(CanonicalJSON.bytes($0)) }
            message = outcome.warnings.isEmpty ? nil : outcome.warnings.joined(separator: "; ")
        case .failed(let error):
            eventOutcome = .failed
            status.state = .failed
            status.lastError = error
            message = error
        case .skipped(let reason):
            eventOutcome = .skipped
            status.lastError = reason
            message = reason
        case .deferred:
            return
        }
        try await objects.record(status)
        _ = try await events.append(draft(step, outcome: eventOutcome, message: message))
    }

    /// Records what a plan found without writing: orphans, reported drift, refusals, objects already matching.
    public func recordFindings(_ plan: Plan, matching declarations: [Declaration]) async throws {
        var statuses: [ObjectStatus] = []
        var drafts: [EventDraft] = []
        let now = Date()
        for step in plan.steps where !step.action.changesWandb {
            let key = ObjectKey(kind: step.subject.rawValue, identity: step.identity)
            let state: ObjectState = switch step.action {
            case .orphan: .orphaned
            case .report: .drifted
            default: .failed
            }
            statuses.append(ObjectStatus(
                key: key, desiredHash: step.declarationHash, wandbID: step.wandbID, state: state, lastError: step.action == .refused ? step.reason : nil,
                lastReconciledAt: now))
            if step.action == .refused { drafts.append(draft(step, outcome: .refused, message: step.reason)) }
        }
        let touched = Set(plan.steps.map(\.id))
        // A Policy is launchq's own: it has no W&B object and no status.
        for declaration in declarations where declaration.kind != .policy && !touched.contains(PlanStep.id(Self.subject(declaration.kind), declaration.identity)) {
            statuses.append(ObjectStatus(
                key: ObjectKey(kind: declaration.kind.rawValue, identity: declaration.identity), desiredHash: declaration.contentHash, state: .ready,
                lastReconciledAt: now, appliedPolicy: Self.storedPolicy(of: declaration)))
        }
        if !statuses.isEmpty { try await objects.record(statuses) }
        if !drafts.isEmpty { _ = try await events.append(drafts) }
    }

    /// The declaration hash last applied successfully, by step id: what drift detection compares.
    public static func lastApplied(from objects: any ObjectStatusRepository) async throws -> [String: String] {
        try await objects.lastAppliedHashes()
    }

    static func subject(_ kind: Declaration.Kind) -> PlanStep.Subject {
        switch kind {
        case .user: .user
        case .team: .team
        case .project: .project
        case .runQueue: .runQueue
        case .policy: preconditionFailure("a Policy is never planned; callers skip it")
        }
    }

    private func draft(_ step: PlanStep, outcome: EventOutcome, message: String?) -> EventDraft {
        let before = step.changes.isEmpty ? nil : step.changes.map { "\($0.path): \($0.before.map(CanonicalJSON.string) ?? "(absent)")" }.joined(separator: "\n")
        return EventDraft(
            actor: actor, object: ObjectKey(kind: step.subject.rawValue, identity: step.identity), action: step.action.rawValue, before: before,
            after: step.desired.map(CanonicalJSON.string), outcome: outcome, message: message, revision: revision)
    }
}
