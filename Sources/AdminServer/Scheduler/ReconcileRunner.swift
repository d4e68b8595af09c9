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
import WandbModel

/// `launchq serve`'s reconcile runs: the current revision's declarations through the one pipeline
/// (``Reconciliation``, recording in the store). The runner keeps only what serve adds: the decoded revision,
/// per-object backoff (objects that keep failing are deferred; the entries live in the database, read at the start
/// of each run and written back at its end, so every replica and the next leader after a failover know them),
/// metrics and the run summary.
public final class ReconcileRunner: Sendable {
    let store: PostgresStore
    let client: WandbClient
    let configuration: AdminServer.Configuration
    let metrics: AdminMetrics
    let logger: Logger
    /// Sends notifications of objects that became failed or drifted and of failed runs (`nil`: none configured).
    let notifier: Notifier?
    private let backoff: Mutex<Backoff>
    /// Step ids whose backoff changed in the run going on (written back to the database at its end).
    private let backoffChanged = Mutex<Set<String>>([])
    /// Step outcomes that reached W&B (or were tried) but could not be recorded, by step id, with their revision:
    /// recorded at the start of the next run (the database answers by then), so no written object is left
    /// without a status.
    private let unrecorded = Mutex<[String: (step: PlanStep, outcome: StepOutcome, revision: RevisionNumber)]>([:])
    /// The current revision's layout, users and policies, kept between runs; its chunks are read when a run asks (issue 13).
    private let cache = Mutex<StoredFleet?>(nil)

    public init(store: PostgresStore, client: WandbClient, configuration: AdminServer.Configuration, metrics: AdminMetrics, logger: Logger,
        notifier: Notifier? = nil
    ) {
        self.notifier = notifier
        self.store = store
        self.client = client
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.backoff = Mutex(Backoff(configuration: configuration.backoff))
    }

    /// The current revision with all its declarations decoded (for a preview), or `nil` before the first.
    public func desired() async throws -> (Revision, [Declaration])? {
        guard let state = try await store.revisions.currentDesiredState() else { return nil }
        return (state.revision, try DesiredStateCodec.declarations(from: state.declarations))
    }

    /// The current revision as a fleet read and decoded a chunk at a time, or `nil` before the first; its layout,
    /// users and policies are read once per revision.
    func storedFleet() async throws -> StoredFleet? {
        guard let current = try await store.revisions.current() else { return nil }
        if let stored = cache.withLock({ $0 }), stored.revision.number == current.number { return stored }
        let stored = try await StoredFleet.read(
            current, from: store.revisions, entitiesPerChunk: client.configuration.batchSize, queuesPerChunk: configuration.queuesPerChunk)
        cache.withLock { $0 = stored }
        return stored
    }

    /// The pipeline for one run, recording as `launchq serve` in the store; with `progress`, through
    /// ``ServeRecorder`` (a database failure ends the run quickly, missed outcomes are kept for the next run), and
    /// reading the managed queues' backlog in the same batched reads (``Configuration/queueBacklog``; it reaches
    /// the gauges when the run records what W&B holds).
    /// `deletions`: what the run's request relaxes of the deletion guards (an explicit request only).
    func reconciliation(revision: RevisionNumber?, progress: RunProgress? = nil, deletions: DeletionOverrides = .none) -> Reconciliation {
        let store = StoreRecorder(events: store.events, objects: store.objects, actor: "launchq serve", revision: revision)
        let readsBacklog = progress != nil && revision != nil && configuration.queueBacklog
        let metrics = metrics
        var backlog: (@Sendable ([QueueBacklog], Set<String>) -> Void)?
        if readsBacklog { backlog = { @Sendable read, entities in metrics.recordBacklog(read, of: entities) } }
        let recorder: any ApplyRecorder =
            if let progress, let revision {
                ServeRecorder(inner: store, progress: progress, backlog: backlog) { [self] step, outcome in
                    unrecorded.withLock { $0[step.id] = (step, outcome, revision) }
                }
            } else { store }
        var (planner, executor) = (configuration.planner, configuration.executor)
        if deletions.allowNonemptyDelete { (planner.allowNonemptyDelete, executor.allowNonemptyDelete) = (true, true) }
        if let cap = deletions.maxDeletions { planner.maxDeletions = cap }
        return Reconciliation(
            observer: Observer(client: client).readingBacklog(readsBacklog), planner: Planner(configuration: planner),
            executor: Executor(client: client, configuration: executor, logger: logger),
            recorder: recorder, maxRounds: configuration.maxRounds, logger: logger)
    }

    /// Plans the current revision against W&B now, without writing.
    public func plan() async throws -> (Revision, Plan)? {
        guard let (revision, declarations) = try await desired() else { return nil }
        return (revision, try await reconciliation(revision: revision.number).preview(declarations))
    }

    /// Runs one reconcile; never throws (failures are in the result, the log, the events and the metrics).
    ///
    /// `progress` is kept up to date (phase, steps in flight) for the scheduler's watchdog and status; `confirmLease`
    /// is asked before each round of writes, and `false` stops the run before it writes anything more.
    public func run(
        _ request: ReconcileRequest, drain: DrainSignal, progress: RunProgress = RunProgress(),
        confirmLease: @escaping @Sendable () async -> Bool = { true }
    ) async -> ReconcileRun {
        let clock = ContinuousClock()
        let started = clock.now
        var run = ReconcileRun(outcome: "succeeded", trigger: request.trigger, startedAt: Date())
        let counts = StepTally()
        if let notifier, notifier.needsSeed, let objects = try? await store.objects.listWithoutObservedState(kind: nil) { notifier.seed(objects) }
        do {
            try await perform(request, drain: drain, progress: progress, confirmLease: confirmLease, counts: counts, into: &run)
        } catch where progress.storeFailure == nil {
            run.outcome = "error"
            run.message = Self.describe(error)
            logger.error("reconcile failed", metadata: ["trigger": "\(request.trigger)", "error": "\(run.message ?? "")"])
        } catch {
            // The database failed while recording; reported below.
        }
        // Not while the database fails: the entries stay in memory and are written at the end of the next run.
        if progress.storeFailure == nil { await saveBackoff() }
        if let failure = progress.storeFailure {
            let final = counts.value
            (run.succeeded, run.failed, run.skipped, run.deferred) = (final.succeeded, final.failed, final.skipped, final.deferred)
            let late = unrecorded.withLock { $0.count }
            run.outcome = "failed"
            run.message =
                "the database failed while recording this run (\(failure)); the steps not yet attempted were not written"
                + (late > 0 ? ", and \(late) outcome(s) are kept to be recorded when it answers again" : "")
            logger.error("reconcile stopped: the database failed while recording", metadata: ["error": "\(failure)", "unrecorded": "\(late)"])
        }
        let elapsed = clock.now - started
        run.durationSeconds = Scheduler.seconds(elapsed)
        metrics.recordRun(outcome: run.outcome == "idle" ? "succeeded" : run.outcome, duration: elapsed)
        metrics.syncWandb(client.stats)
        // Not while the database fails: that would only add another timeout to the run.
        if progress.storeFailure == nil {
            progress.enter("counting drifted and failed objects")
            await refreshObjectGauges()
        }
        notifier?.noticeRun(run, failed: run.outcome == "error" || progress.storeFailure != nil)
        // A run frees the fleet's answers and plans at once: give the pages back rather than keep them for the next.
        HeapMemory.giveBack()
        logger.info(
            "reconcile finished",
            metadata: [
                "trigger": "\(run.trigger)", "outcome": "\(run.outcome)", "revision": "\(run.revision.map(String.init) ?? "-")",
                "succeeded": "\(run.succeeded)", "failed": "\(run.failed)", "skipped": "\(run.skipped)", "deferred": "\(run.deferred)",
            ])
        return run
    }

    private func perform(
        _ request: ReconcileRequest, drain: DrainSignal, progress: RunProgress, confirmLease: @escaping @Sendable () async -> Bool,
        counts: StepTally, into run: inout ReconcileRun
    ) async throws {
        progress.enter("reading the current revision")
        guard let stored = try await storedFleet() else {
            run.outcome = "idle"
            run.message = "no revision has been stored yet"
            return
        }
        let revision = stored.revision
        run.revision = revision.number
        progress.enter("reading per-object backoff")
        try await loadBackoff()
        progress.enter("recording outcomes left unrecorded by an earlier run")
        try await recordLate()
        let lease = LeaseCheck(confirm: confirmLease, drain: drain, logger: logger)
        let pipeline = reconciliation(revision: revision.number, progress: progress, deletions: request.deletions)
        let result = try await pipeline.run(
            fleet: stored.fleet, pipelineRequest(for: request, drain: drain, progress: progress, lease: lease, counts: counts, recorder: pipeline.recorder))
        run.plan = result.firstPlan?.summary
        run.rounds = result.rounds.count
        let final = counts.value
        (run.succeeded, run.failed, run.skipped, run.deferred) = (final.succeeded, final.failed, final.skipped, final.deferred)
        if progress.storeFailure != nil { return }
        // Stopped between steps (shutdown), or declined before the first write because the lease was lost.
        switch result.ending {
        case .stopped, .declined:
            run.outcome = "drained"
            if lease.lost { run.message = "stopped before writing: this replica no longer holds the reconciler lease" }
            return
        case .completed, .stale: break
        }
        // Each chunk replaced its own entities' backlog; a completed run also forgets the entities no longer declared.
        if configuration.queueBacklog { metrics.keepBacklog(of: Set(stored.fleet.chunks.joined())) }
        if let error = result.recordingError {
            run.outcome = "error"
            run.message = error
            return
        }
        if final.failed + final.skipped > 0 || result.finalPlan?.hasRefusals == true { run.outcome = "failed" }
    }

    /// Records the outcomes kept by ``unrecorded`` (oldest revision's first), each with a warning saying it is late.
    func recordLate() async throws {
        let pending = unrecorded.withLock { $0 }.values.sorted { ($0.revision, $0.step.id) < ($1.revision, $1.step.id) }
        guard !pending.isEmpty else { return }
        for item in pending {
            let recorder = StoreRecorder(events: store.events, objects: store.objects, actor: "launchq serve", revision: item.revision)
            var outcome = item.outcome
            outcome.warnings.append("recorded late: the database did not answer when this step ended")
            try await recorder.didApply(item.step, outcome: outcome)
            unrecorded.withLock { _ = $0.removeValue(forKey: item.step.id) }
        }
        logger.warning("recorded outcomes that the database missed", metadata: ["count": "\(pending.count)"])
    }

    /// Serve's hooks into the pipeline: drain stops it, backoff defers objects that keep failing (except in a run
    /// asked for one object), a database that failed in this run holds back every further step, the lease is
    /// confirmed before each round of writes, every step's outcome feeds the backoff and the metrics, and the
    /// run's activity feeds `progress`.
    private func pipelineRequest(
        for request: ReconcileRequest, drain: DrainSignal, progress: RunProgress, lease: LeaseCheck, counts: StepTally,
        recorder: (any ApplyRecorder)?
    ) -> Reconciliation.Request {
        let clock = ContinuousClock()
        let ignoreBackoff = request.object != nil
        var runRequest = Reconciliation.Request(
            object: request.object.map { ObjectReference(kind: $0.kind, identity: $0.identity) },
            isStopping: { drain.isSet }, stopReason: "launchq serve was shutting down",
            deferral: { [self] step in
                // Nothing was written: W&B is untouched, so this is not a failure of the object.
                if let failure = progress.storeFailure { return "not attempted: the database failed while recording this run (\(failure))" }
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
                    // Only an object that was backing off has an entry to clear: a first apply of 10,000 objects
                    // writes nothing back.
                    if backoff.withLock({ $0.recordSuccess(step.id) }) { backoffChanged.withLock { _ = $0.insert(step.id) } }
                case .failed where progress.wasNotAttempted(step.id) || Task.isCancelled:
                    // Not written (its start could not be recorded), or cancelled with its run (the watchdog): that
                    // says nothing about the object, so no backoff; the next run plans it again.
                    label = "skipped"
                case .failed:
                    label = "failed"
                    backoff.withLock { $0.recordFailure(step.id, at: now) }
                    backoffChanged.withLock { _ = $0.insert(step.id) }
                case .skipped: label = "skipped"
                case .deferred: label = "deferred"
                }
                counts.add(label)
                metrics.recordStep(action: step.action.rawValue, outcome: label)
            },
            approve: { _ in await lease.confirm() },
            lastApplied: {
                // Before planning another round: confirm the lease first (a replica that lost it writes nothing more).
                // The read itself is the recorder's (ServeRecorder: not tried once the database failed in this run).
                if progress.round > 0 { _ = await lease.confirm() }
                return try await recorder?.lastApplied() ?? [:]
            },
            activity: { progress.track($0) })
        // Serve reads only the plans' summaries and counts: the first plan's writes are let go once applied.
        runRequest.keepsPlans = false
        // What one chunk read, decoded and planned is garbage once the next starts: give those pages back rather
        // than let the arenas keep the largest chunk's worth and more (issue 13; glibc only).
        runRequest.chunkStarting = { HeapMemory.giveBack() }
        return runRequest
    }

    /// Replaces the in-memory backoff with the database's entries (another replica may have led meanwhile);
    /// entries changed in an earlier run whose write-back failed are kept and written at the end of this run.
    func loadBackoff() async throws {
        let stored = try await store.backoff.all()
        let now = ContinuousClock.now
        backoff.withLock { backoff in
            let unsaved = backoffChanged.withLock { $0 }
            let kept = unsaved.map { ($0, backoff.failures(of: $0), backoff.deferredUntil($0, at: now)) }
            backoff = Backoff(configuration: configuration.backoff)
            for entry in stored where !unsaved.contains(entry.id) {
                backoff.restore(entry.id, failures: entry.failures, notBefore: now + entry.remaining)
            }
            for (id, failures, until) in kept { backoff.restore(id, failures: failures, notBefore: until ?? now) }
        }
    }

    /// Writes the backoff entries this run changed to the database (a success deletes the entry).
    func saveBackoff() async {
        let changed = backoffChanged.withLock { $0 }
        guard !changed.isEmpty else { return }
        let now = ContinuousClock.now
        for id in changed.sorted() {
            let (failures, until) = backoff.withLock { ($0.failures(of: id), $0.deferredUntil(id, at: now)) }
            do {
                if failures > 0 {
                    try await store.backoff.recordFailure(id, failures: failures, wait: until.map { $0 - now } ?? .zero)
                } else {
                    try await store.backoff.clear(id)
                }
                backoffChanged.withLock { _ = $0.remove(id) }
            } catch {
                logger.warning("could not store per-object backoff; kept for the next run", metadata: ["error": "\(Self.describe(error))"])
                return
            }
        }
    }

    /// Counts drifted and failed objects for the gauges (one aggregate query), and tells the notifier which objects
    /// became failed or drifted (their statuses read without the observed state).
    func refreshObjectGauges() async {
        guard let summary = try? await store.objects.summary(ObjectFilter()) else { return }
        metrics.driftedObjects.set(to: Double(summary.counts[.drifted] ?? 0))
        metrics.failedObjects.set(to: Double(summary.counts[.failed] ?? 0))
        metrics.recordObjectStates(Dictionary(uniqueKeysWithValues: summary.counts.map { ($0.key.rawValue, $0.value) }))
        if let notifier, let objects = try? await store.objects.listWithoutObservedState(kind: nil) { notifier.notice(objects: objects) }
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

/// Steps by how serve counted them (a step not written because its start could not be recorded, or cancelled with
/// its run, counts as skipped), over every round; kept outside the pipeline's result so a run the database ended
/// still reports them.
final class StepTally: Sendable {
    private let counts = Mutex(Reconciliation.Counts())

    var value: Reconciliation.Counts { counts.withLock { $0 } }

    /// Counts one step: `succeeded`, `failed`, `skipped` or `deferred`.
    func add(_ label: String) {
        counts.withLock { counts in
            switch label {
            case "succeeded": counts.succeeded += 1
            case "failed": counts.failed += 1
            case "skipped": counts.skipped += 1
            default: counts.deferred += 1
            }
        }
    }
}
