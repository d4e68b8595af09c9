import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Store
import Synchronization

/// The reconcile loop, a ServiceLifecycle `Service`.
///
/// - Only the holder of the leader lease reconciles; it renews the lease every third of its duration (also
///   while a run is going on) and other replicas try to take it over at the same pace, so a replica that
///   died is replaced within about 1⅓ lease periods.
/// - The leader reconciles at start, every ``AdminServer/Configuration/interval`` (± jitter), when the
///   current revision changes (checked every ``AdminServer/Configuration/revisionPollInterval``), and on demand.
/// - One run at a time. Suspended: no scheduled, revision or webhook runs; explicit `POST /v1/reconcile` runs still happen.
/// - What replicas must agree on lives in PostgreSQL: suspension, per-object backoff and reconcile requests. Any
///   replica records a request or a suspension and announces it on ``ControlChannel``; every replica listens, so the
///   leader starts a requested run within a tick and every replica shows the same suspension (also after a failover).
/// - A `launchq apply` from the command line takes the same lease: while it holds it no replica reconciles, and
///   `GET /v1/status` says which apply holds it and since when.
/// - Graceful shutdown (SIGTERM): a running apply finishes the steps it started, records them, skips the rest;
///   then the lease is released so another replica takes over at once. Steps in flight get
///   ``AdminServer/Configuration/shutdownTimeout``; past it the run is abandoned (logged) and `run()` returns.
/// - The watchdog: a run is supervised, never awaited blindly. `GET /v1/status` shows since when it runs and what it
///   waits on; past ``AdminServer/Configuration/runTimeout`` it is cancelled, an event says so, and it is retried.
/// - A run that the database, the lease or the watchdog interrupted is retried after
///   ``AdminServer/Configuration/retryDelay`` (doubling), not a whole interval later; before each round of writes
///   the lease is renewed, and a replica that lost it writes nothing more.
public final class Scheduler: Service, Sendable {
    /// What asking for a run did.
    public enum Submission: Sendable {
        /// This replica is not the leader; `holder` is (when known).
        case notLeader(holder: String?)
        /// Accepted; it runs at the leader's next tick.
        case queued
        /// Ran to the end (`wait`).
        case finished(ReconcileRun)
    }

    /// What the status endpoints show.
    public struct Status: Sendable, Codable {
        public var replica: String
        public var leader: Bool
        public var holder: String?
        public var suspended: Bool
        /// Who last suspended or resumed, and when (shared by every replica).
        public var suspendedBy: String?
        public var suspendedAt: Date?
        /// A `launchq apply` from the command line holding the lease (no replica reconciles meanwhile).
        public var cliApply: LeaseView?
        public var running: Bool
        /// When the run in progress started.
        public var runningSince: Date?
        /// What the run in progress waits on: its phase and the oldest steps in flight.
        public var waitingOn: String?
        public var lastRun: ReconcileRun?
    }

    /// Who holds the lease and since when.
    public struct LeaseView: Sendable, Codable, Hashable {
        public var holder: String
        public var since: Date
    }

    struct Pending: Sendable {
        var request: ReconcileRequest
        var waiter: CheckedContinuation<ReconcileRun?, Never>?
        /// The recorded request (`reconcile_requests`) this stands for.
        var recorded: Int64?
    }

    struct State: Sendable {
        var suspended = false
        var suspension: Suspension?
        /// A notification arrived (or the listener just started): look at suspension and requests now.
        var poked = true
        /// The lease as another holder has it (when this replica is not the leader).
        var otherLease: Lease?
        var pending: [Pending] = []
        var lease: Lease?
        var holder: String?
        var running = false
        var current: DrainSignal?
        var progress: RunProgress?
        /// When graceful shutdown began.
        var shutdownAt: ContinuousClock.Instant?
        var lastRun: ReconcileRun?
        var lastRevision: RevisionNumber?
        var stopped = false
    }

    let runner: ReconcileRunner
    let lease: any LeaderLease
    let configuration: AdminServer.Configuration
    let logger: Logger
    /// Runs before each scheduled run (pulling and publishing the declaration source).
    let beforeScheduledRun: (@Sendable () async -> Void)?
    let state = Mutex(State())
    let shutdown = DrainSignal()

    public init(
        runner: ReconcileRunner, lease: any LeaderLease, configuration: AdminServer.Configuration, logger: Logger,
        beforeScheduledRun: (@Sendable () async -> Void)? = nil
    ) {
        self.runner = runner
        self.lease = lease
        self.configuration = configuration
        self.logger = logger
        self.beforeScheduledRun = beforeScheduledRun
    }

    // MARK: Control

    /// Asks for a run; with `wait`, returns its result (`nil` if the service stopped first).
    public func submit(_ request: ReconcileRequest, wait: Bool) async -> Submission {
        let (leader, holder) = state.withLock { ($0.lease != nil && !$0.stopped, $0.holder) }
        guard leader else { return .notLeader(holder: holder) }
        guard wait else {
            state.withLock { $0.pending.append(Pending(request: request)) }
            return .queued
        }
        let run = await withCheckedContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.pending.append(Pending(request: request, waiter: continuation))
                return true
            }
            if !accepted { continuation.resume(returning: nil) }
        }
        return run.map(Submission.finished) ?? .queued
    }

    /// Stops scheduled and revision-triggered runs on every replica (on-demand runs still happen), as `actor`.
    @discardableResult
    public func suspend(by actor: String) async throws -> Status { try await setSuspended(true, by: actor) }
    /// Restarts scheduled runs on every replica.
    @discardableResult
    public func resume(by actor: String) async throws -> Status { try await setSuspended(false, by: actor) }

    private func setSuspended(_ value: Bool, by actor: String) async throws -> Status {
        apply(try await runner.store.control.setSuspended(value, by: actor))
        return status
    }

    func apply(_ suspension: Suspension) {
        state.withLock {
            $0.suspension = suspension
            $0.suspended = suspension.suspended
        }
        runner.metrics.suspended.set(to: suspension.suspended ? 1.0 : 0.0)
    }

    /// The status as this replica last saw it.
    public var status: Status {
        state.withLock {
            Status(
                replica: configuration.replicaID, leader: $0.lease != nil, holder: $0.holder, suspended: $0.suspended,
                suspendedBy: $0.suspension?.changedBy, suspendedAt: $0.suspension?.changedAt,
                cliApply: $0.otherLease.flatMap { LeaseHolder.isApply($0.holder) ? LeaseView(holder: $0.holder, since: $0.acquiredAt) : nil },
                running: $0.running, runningSince: $0.progress?.startedAt, waitingOn: $0.progress?.waitingOn, lastRun: $0.lastRun)
        }
    }

    /// The status with the suspension read from the database now (what every replica agrees on).
    public func currentStatus() async -> Status {
        if let suspension = try? await runner.store.control.suspension() { apply(suspension) }
        return status
    }

    // MARK: Service

    public func run() async throws {
        await withGracefulShutdownHandler {
            // Not a child task: a pool waiting for a database that went away may not end a listen on cancellation,
            // and shutdown must not wait for it (it ends when the pool stops).
            let listener = Task { await self.listenForControl() }
            await loop()
            listener.cancel()
        } onGracefulShutdown: { [self] in
            state.withLock {
                $0.shutdownAt = $0.shutdownAt ?? .now
                $0.current?.set()
            }
            shutdown.set()
        }
        let (held, waiters) = state.withLock { state in
            state.stopped = true
            let waiters = state.pending.compactMap(\.waiter)
            state.pending = []
            return (state.lease, waiters)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        if let held {
            // Bounded like everything else at shutdown: an unreachable database must not hold the exit.
            let lease = self.lease, replica = configuration.replicaID
            let released = try? await OperationDeadline.run(.seconds(1), onTimeout: { CancellationError() }) {
                try await lease.release(holder: replica, term: held.term)
            }
            state.withLock { $0.lease = nil }
            runner.metrics.leaseHeld.set(to: 0.0)
            if released == true {
                logger.info("released the reconciler lease", metadata: ["term": "\(held.term)"])
            } else if released == false {
                logger.info("the reconciler lease had already lapsed", metadata: ["term": "\(held.term)"])
            } else {
                logger.warning("could not release the reconciler lease; another replica takes it over when it expires", metadata: ["term": "\(held.term)"])
            }
        }
    }

    private func loop() async {
        let clock = ContinuousClock()
        var nextRenew = clock.now
        var nextScheduled = configuration.reconcileOnStart ? clock.now : clock.now + Jitter.spread(configuration.interval, fraction: configuration.jitter)
        var nextRevisionCheck = clock.now
        var nextControlCheck = clock.now
        var reachable = true
        var firstRun = true
        var interrupted = 0
        while !shutdown.isSet, !Task.isCancelled {
            if clock.now >= nextRenew {
                // After an error (a database not migrated yet, or down) try again soon rather than a third of a lease later.
                reachable = await keepLease()
                nextRenew = clock.now + (reachable ? configuration.leaseDuration / 3 : min(.seconds(1), configuration.leaseDuration / 3))
            }
            let poked = state.withLock { state in
                defer { state.poked = false }
                return state.poked
            }
            // While the database does not answer the lease, the last suspension seen stands (each read would only wait out
            // its deadline); the poll resumes with the lease.
            let controlDue = reachable && (poked || clock.now >= nextControlCheck)
            if controlDue {
                // Notifications wake this at once; the poll is the fallback when the listener is down.
                nextControlCheck = clock.now + configuration.revisionPollInterval
                await refreshControl()
            }
            if state.withLock({ $0.lease != nil }) {
                if controlDue { await claimRequests() }
                var request: ReconcileRequest?
                var taken: [Pending] = []
                var waiters: [CheckedContinuation<ReconcileRun?, Never>] = []
                let (pending, suspended) = state.withLock { state in
                    // Suspended: only explicit requests run; a new revision waits for resume (the poll finds it then).
                    let eligible = state.suspended ? state.pending.filter { $0.request.trigger == "request" } : state.pending
                    // Requests relaxing the deletion guards differently never share a run: those like the first run
                    // now, the others stay queued for the next tick.
                    let deletions = eligible.first?.request.deletions
                    let runnable = eligible.filter { $0.request.deletions == deletions }
                    state.pending = eligible.filter { $0.request.deletions != deletions }
                    return (runnable, state.suspended)
                }
                if !pending.isEmpty {
                    // Coalesce: one run covers every waiting request (all objects unless all asked for the same one).
                    let objects = Set(pending.map(\.request.object))
                    request = ReconcileRequest(
                        trigger: pending[0].request.trigger, object: objects.count == 1 ? objects.first! : nil,
                        deletions: pending[0].request.deletions)
                    taken = pending
                    waiters = pending.compactMap(\.waiter)
                } else if !suspended, clock.now >= nextScheduled {
                    if let beforeScheduledRun { await beforeScheduledRun() }
                    request = ReconcileRequest(trigger: firstRun ? "start" : "schedule")
                } else if !suspended, clock.now >= nextRevisionCheck {
                    nextRevisionCheck = clock.now + configuration.revisionPollInterval
                    if let current = try? await runner.store.revisions.current(),
                        current.number != state.withLock({ $0.lastRevision })
                    {
                        request = ReconcileRequest(trigger: "revision")
                    }
                }
                if let request {
                    let (run, retry) = await reconcile(request, nextRenew: &nextRenew)
                    for waiter in waiters { waiter.resume(returning: run) }
                    await finishRequests(taken.compactMap(\.recorded), with: run)
                    if request.object == nil {
                        firstRun = false
                        nextScheduled = clock.now + Jitter.spread(configuration.interval, fraction: configuration.jitter)
                    }
                    if retry {
                        // Interrupted by the database, the lease or the watchdog: try again soon (once the lease is
                        // held again), backing off while it keeps happening.
                        interrupted += 1
                        let wait = min(Self.retryWait(after: interrupted, first: configuration.retryDelay), configuration.interval)
                        nextScheduled = min(nextScheduled, clock.now + wait)
                        logger.warning("the run was interrupted; retrying", metadata: ["in": "\(wait)", "outcome": "\(run.outcome)"])
                    } else if request.object == nil {
                        interrupted = 0
                    }
                    continue
                }
            } else {
                let waiters = state.withLock { state in
                    defer { state.pending = [] }
                    return state.pending.compactMap(\.waiter)
                }
                for waiter in waiters { waiter.resume(returning: nil) }
            }
            try? await Task.sleep(for: configuration.tick)
        }
    }

    /// One run, renewing the lease meanwhile; losing the lease stops the run between steps. Returns the run and
    /// whether it should be retried soon (the database, the lease or the watchdog interrupted it).
    ///
    /// The run works in its own task, which this supervises (``supervise(_:trigger:progress:stop:)``) rather than awaits: a
    /// run that waits on something that never answers is cancelled by the watchdog or abandoned at shutdown.
    private func reconcile(_ request: ReconcileRequest, nextRenew: inout ContinuousClock.Instant) async -> (ReconcileRun, retry: Bool) {
        let stop = DrainSignal()
        let progress = RunProgress()
        state.withLock {
            $0.running = true
            $0.current = stop
            $0.progress = progress
        }
        if shutdown.isSet { stop.set() }
        let lostLease = DrainSignal()
        let work = RunTask(runner: runner, request: request, drain: stop, progress: progress) { [self] in
            // Re-checked before each round of writes: a replica that lost the lease (say, while its database was away
            // longer than the lease) writes nothing more.
            await keepLease()
            let held = state.withLock { $0.lease != nil }
            if !held { lostLease.set() }
            return held
        }
        let supervised = await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.leaseDuration / 3)
                    if Task.isCancelled { break }
                    await keepLease()
                    if state.withLock({ $0.lease == nil }) {
                        logger.warning("lost the reconciler lease during a run; stopping after the steps in flight")
                        lostLease.set()
                        stop.set()
                    }
                }
            }
            let supervised = await supervise(work, trigger: request.trigger, progress: progress, stop: stop)
            group.cancelAll()
            return supervised
        }
        var run = supervised.run
        let retry = supervised.watchdog || lostLease.isSet || progress.storeFailure != nil || (run.outcome == "error" && !shutdown.isSet)
        if lostLease.isSet, !shutdown.isSet, run.outcome == "drained" {
            run.outcome = "failed"
            run.message = run.message ?? "stopped: this replica lost the reconciler lease"
        }
        runner.metrics.runningSeconds.set(to: 0)
        nextRenew = ContinuousClock.now + configuration.leaseDuration / 3
        state.withLock {
            $0.running = false
            $0.current = nil
            $0.progress = nil
            $0.lastRun = run
            // Only a run over every object counts as having reconciled the revision.
            if let revision = run.revision, run.outcome != "error", request.object == nil { $0.lastRevision = revision }
        }
        return (run, retry && !shutdown.isSet)
    }

    /// `first`, doubled for each further consecutive interrupted run (capped at 2^10).
    static func retryWait(after interrupted: Int, first: Duration) -> Duration {
        first * (1 << min(max(interrupted - 1, 0), 10))
    }

    /// Renews the lease (or takes it when free); any failure means "not the leader" until the next try.
    @discardableResult
    private func keepLease() async -> Bool {
        let held = state.withLock { $0.lease }
        let replica = configuration.replicaID
        var now: Lease?
        do {
            if let held {
                now = try await lease.renew(holder: replica, term: held.term, duration: configuration.leaseDuration)
            }
            if now == nil {
                now = try await lease.acquire(holder: replica, duration: configuration.leaseDuration)
            }
        } catch {
            // Cancelled (the run ended and its renewal task with it): nothing was learnt about the lease.
            if Task.isCancelled { return true }
            logger.warning("leader lease unavailable", metadata: ["error": "\(ReconcileRunner.describe(error))"])
            state.withLock { $0.lease = nil }
            runner.metrics.leaseHeld.set(to: 0.0)
            return false
        }
        if now == nil, held != nil { logger.warning("lost the reconciler lease") }
        if now != nil, held == nil { logger.info("holding the reconciler lease", metadata: ["replica": "\(replica)", "term": "\(now!.term)"]) }
        let other = now == nil ? try? await lease.current() : nil
        let holder = now == nil ? other?.holder : replica
        let before = state.withLock { state in
            defer {
                state.lease = now
                state.holder = holder
                state.otherLease = other
            }
            return state.otherLease
        }
        if let other, LeaseHolder.isApply(other.holder), before?.holder != other.holder || before?.term != other.term {
            logger.notice("a launchq apply holds the reconciler lease; skipping rounds until it ends", metadata: ["holder": "\(other.holder)"])
        }
        runner.metrics.leaseHeld.set(to: now == nil ? 0.0 : 1.0)
        return true
    }
}
