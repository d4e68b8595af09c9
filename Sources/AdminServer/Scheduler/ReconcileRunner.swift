import Declarations
import Foundation
import Logging
import Planning
import Prometheus
import Reconciler
import ReconcilerStore
import Store
import Synchronization
import WandbAPI

/// `launchq serve`'s reconcile runs: the current revision's declarations through the one pipeline
/// (``Reconciliation``, recording in the store). The runner keeps only what serve adds: the decoded revision,
/// per-object backoff (objects that keep failing are deferred), metrics and the run summary.
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

    /// The pipeline for one run, recording as `launchq serve` in the store.
    func reconciliation(revision: RevisionNumber?) -> Reconciliation {
        Reconciliation(
            observer: Observer(client: client), planner: Planner(configuration: configuration.planner),
            executor: Executor(client: client, configuration: configuration.executor, logger: logger),
            recorder: StoreRecorder(events: store.events, objects: store.objects, actor: "launchq serve", revision: revision),
            maxRounds: configuration.maxRounds, logger: logger)
    }

    /// Plans the current revision against W&B now, without writing.
    public func plan() async throws -> (Revision, Plan)? {
        guard let (revision, declarations) = try await desired() else { return nil }
        return (revision, try await reconciliation(revision: revision.number).preview(declarations))
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
        let result = try await reconciliation(revision: revision.number).run(declarations, pipelineRequest(for: request, drain: drain))
        run.plan = result.firstPlan?.summary
        run.rounds = result.rounds.count
        let counts = result.counts
        (run.succeeded, run.failed, run.skipped, run.deferred) = (counts.succeeded, counts.failed, counts.skipped, counts.deferred)
        if result.ending == .stopped {
            run.outcome = "drained"
            return
        }
        if let error = result.recordingError {
            run.outcome = "error"
            run.message = error
            return
        }
        if counts.failed + counts.skipped > 0 || result.finalPlan?.hasRefusals == true { run.outcome = "failed" }
    }

    /// Serve's hooks into the pipeline: drain stops it, backoff defers objects that keep failing (except in a run
    /// asked for one object), and every step's outcome feeds the backoff and the metrics.
    func pipelineRequest(for request: ReconcileRequest, drain: DrainSignal) -> Reconciliation.Request {
        let clock = ContinuousClock()
        let ignoreBackoff = request.object != nil
        return Reconciliation.Request(
            object: request.object.map { ObjectReference(kind: $0.kind, identity: $0.identity) },
            isStopping: { drain.isSet }, stopReason: "launchq serve was shutting down",
            deferral: { [self] step in
                guard !ignoreBackoff else { return nil }
                let now = clock.now
                return backoff.withLock { $0.deferredUntil(step.id, at: now) }.map {
                    "not attempted: backing off after repeated failures (next attempt in \(($0 - now).formatted()))"
                }
            },
            stepFinished: { [self] step, outcome in
                let now = clock.now
                let label: String
                switch outcome.status {
                case .succeeded:
                    label = "succeeded"
                    backoff.withLock { $0.recordSuccess(step.id) }
                case .failed:
                    label = "failed"
                    backoff.withLock { $0.recordFailure(step.id, at: now) }
                case .skipped: label = "skipped"
                case .deferred: label = "deferred"
                }
                metrics.recordStep(action: step.action.rawValue, outcome: label)
            })
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
