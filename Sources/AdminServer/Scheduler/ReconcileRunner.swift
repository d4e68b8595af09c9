import Declarations
import Foundation
import JSON
import Logging
import Planning
import Prometheus
import Reconciler
import Store
import Synchronization
import WandbAPI

/// One reconcile run: the current revision's declarations against W&B now, applied in rounds, recorded in
/// the store; objects that keep failing back off exponentially.
public final class ReconcileRunner: Sendable {
    let store: PostgresStore
    let client: WandbClient
    let configuration: AdminServer.Configuration
    let metrics: AdminMetrics
    let logger: Logger
    private let backoff: Mutex<Backoff>
    private let cache = Mutex<(RevisionNumber, [Declaration])?>(nil)

    public init(store: PostgresStore, client: WandbClient, configuration: AdminServer.Configuration, metrics: AdminMetrics, logger: Logger) {
        self.store = store
        self.client = client
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.backoff = Mutex(Backoff(configuration: configuration.backoff))
    }

    /// The current revision with its declarations (decoded once per revision), or `nil` before the first.
    public func desired() async throws -> (Revision, [Declaration])? {
        guard let state = try await store.revisions.currentDesiredState() else { return nil }
        if let (number, declarations) = cache.withLock({ $0 }), number == state.revision.number {
            return (state.revision, declarations)
        }
        let declarations = try DesiredStateCodec.declarations(from: state.declarations)
        cache.withLock { $0 = (state.revision.number, declarations) }
        return (state.revision, declarations)
    }

    /// The reconciler parts for one run.
    func reconciliation(recorder: (any ApplyRecorder)?) -> Reconciliation {
        Reconciliation(
            observer: Observer(client: client), planner: Planner(configuration: configuration.planner),
            executor: Executor(client: client, configuration: configuration.executor, recorder: recorder, logger: logger),
            maxRounds: configuration.maxRounds)
    }

    /// Plans the current revision against W&B now, without writing.
    public func plan() async throws -> (Revision, Plan)? {
        guard let (revision, declarations) = try await desired() else { return nil }
        let lastApplied = try await StoreRecorder.lastApplied(from: store.objects)
        let (plan, _) = try await reconciliation(recorder: nil).plan(declarations, lastApplied: lastApplied)
        return (revision, plan)
    }

    /// Runs one reconcile; never throws (failures are in the result, the log, the events and the metrics).
    public func run(_ request: ReconcileRequest, drain: DrainSignal) async -> ReconcileRun {
        let clock = ContinuousClock()
        let started = clock.now
        var run = ReconcileRun(outcome: "succeeded", trigger: request.trigger, startedAt: Date())
        do {
            try await perform(request, drain: drain, into: &run)
        } catch {
            run.outcome = "error"
            run.message = Self.describe(error)
            logger.error("reconcile failed", metadata: ["trigger": "\(request.trigger)", "error": "\(run.message ?? "")"])
        }
        let elapsed = clock.now - started
        run.durationSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRun(outcome: run.outcome == "idle" ? "succeeded" : run.outcome, duration: elapsed)
        metrics.syncWandb(client.stats)
        await refreshObjectGauges()
        logger.info(
            "reconcile finished",
            metadata: [
                "trigger": "\(run.trigger)", "outcome": "\(run.outcome)", "revision": "\(run.revision.map(String.init) ?? "-")",
                "succeeded": "\(run.succeeded)", "failed": "\(run.failed)", "skipped": "\(run.skipped)", "deferred": "\(run.deferred)",
            ])
        return run
    }

    private func perform(_ request: ReconcileRequest, drain: DrainSignal, into run: inout ReconcileRun) async throws {
        guard let (revision, declarations) = try await desired() else {
            run.outcome = "idle"
            run.message = "no revision has been stored yet"
            return
        }
        run.revision = revision.number
        let recorder = StoreRecorder(events: store.events, objects: store.objects, actor: "launchq serve", revision: revision.number)
        let clock = ContinuousClock()
        let ignoreBackoff = request.object != nil
        let counts = Mutex((succeeded: 0, failed: 0, skipped: 0, deferred: 0))
        let guarded = GuardedRecorder(
            inner: recorder, drain: drain,
            deferred: { [self] id in
                guard !ignoreBackoff else { return nil }
                let now = clock.now
                return backoff.withLock { $0.deferredUntil(id, at: now) }.map { $0 - now }
            },
            finished: { [self] step, outcome in
                let now = clock.now
                let label: String
                switch outcome.status {
                case .succeeded:
                    label = "succeeded"
                    backoff.withLock { $0.recordSuccess(step.id) }
                    counts.withLock { $0.succeeded += 1 }
                case .failed:
                    label = "failed"
                    backoff.withLock { $0.recordFailure(step.id, at: now) }
                    counts.withLock { $0.failed += 1 }
                case .skipped(let reason):
                    label = reason == "backing off" ? "deferred" : "skipped"
                    counts.withLock { if label == "deferred" { $0.deferred += 1 } else { $0.skipped += 1 } }
                }
                metrics.recordStep(action: step.action.rawValue, outcome: label)
            })
        let reconciliation = reconciliation(recorder: guarded)
        let lastApplied: @Sendable () async throws -> [String: String] = { [store] in try await StoreRecorder.lastApplied(from: store.objects) }

        var plan = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
        run.plan = plan.0.summary
        while run.rounds < configuration.maxRounds, !drain.isSet {
            let scoped = Self.scope(plan.0, to: request.object)
            guard scoped.hasChanges else { break }
            let before = counts.withLock { $0 }
            _ = await reconciliation.executor.apply(scoped, observed: plan.1)
            run.rounds += 1
            let after = counts.withLock { $0 }
            // Another round only when this one had failures that were actually attempted.
            guard after.failed + after.skipped > before.failed + before.skipped, !drain.isSet else { break }
            plan = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
        }
        let final = counts.withLock { $0 }
        (run.succeeded, run.failed, run.skipped, run.deferred) = (final.succeeded, final.failed, final.skipped, final.deferred)
        if drain.isSet {
            run.outcome = "drained"
            return
        }
        // What W&B looks like now: objects already matching become ready; drift, orphans and refusals are recorded.
        let (after, observed) = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
        try await recorder.recordFindings(after, matching: declarations)
        try await recordObservedQueues(observed, declarations: declarations)
        if final.failed + final.skipped > 0 || after.hasRefusals { run.outcome = "failed" }
    }

    /// Records each declared queue's W&B id and observed state (what `GET /v1/objects/RunQueue/{id}` shows),
    /// writing only rows that changed.
    func recordObservedQueues(_ observed: ObservedState, declarations: [Declaration]) async throws {
        let statuses = try await store.objects.list(kind: Declaration.Kind.runQueue.rawValue, state: nil)
        let byIdentity = Dictionary(statuses.map { ($0.key.identity, $0) }, uniquingKeysWith: { first, _ in first })
        var changed: [ObjectStatus] = []
        for declaration in declarations {
            guard case .runQueue(let queue) = declaration.object, var status = byIdentity[declaration.identity],
                let seen = observed.entities[queue.entity]?.queues[queue.name]
            else { continue }
            let text = CanonicalJSON.string(seen.state)
            let hash = ContentHash.sha256(Array(text.utf8))
            guard status.wandbID != seen.id || status.observedHash != hash else { continue }
            status.wandbID = seen.id
            status.observedState = text
            status.observedHash = hash
            changed.append(status)
        }
        if !changed.isEmpty { try await store.objects.record(changed) }
    }

    /// The plan restricted to one object's steps (all of them when `object` is `nil`).
    static func scope(_ plan: Plan, to object: ObjectKey?) -> Plan {
        guard let object else { return plan }
        var scoped = plan
        scoped.steps = plan.steps.filter { $0.subject.rawValue == object.kind && $0.identity == object.identity }
        return scoped
    }

    /// Counts drifted and failed objects for the gauges.
    func refreshObjectGauges() async {
        guard let objects = try? await store.objects.list() else { return }
        metrics.driftedObjects.set(to: Double(objects.count { $0.state == .drifted }))
        metrics.failedObjects.set(to: Double(objects.count { $0.state == .failed }))
    }

    /// Failures for people and logs: the W&B client's and store's errors carry no secrets.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as WandbAPIError: error.description
        case let error as StoreError: error.message
        case let error as DesiredStateError: error.message
        default: String(describing: error)
        }
    }
}
