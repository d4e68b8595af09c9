import Foundation
import Logging
import Prometheus
import Store
import Synchronization

/// A reconcile run working in its own task, so that whoever supervises it can stop waiting for it.
final class RunTask: Sendable {
    private final class Result: Sendable {
        let run = Mutex<ReconcileRun?>(nil)
    }

    private let result = Result()
    private let task: Task<Void, Never>

    init(
        runner: ReconcileRunner, request: ReconcileRequest, drain: DrainSignal, progress: RunProgress,
        confirmLease: @escaping @Sendable () async -> Bool
    ) {
        let result = result
        task = Task {
            let run = await runner.run(request, drain: drain, progress: progress, confirmLease: confirmLease)
            result.run.withLock { $0 = run }
        }
    }

    /// The run's result once it ended.
    var finished: ReconcileRun? { result.run.withLock { $0 } }

    /// Cancels the run's task (W&B and database calls end with a cancellation error; no further step starts).
    func cancel() { task.cancel() }
}

extension Scheduler {
    /// How a supervised run ended.
    struct Supervised {
        var run: ReconcileRun
        /// The watchdog cancelled it.
        var watchdog: Bool
    }

    /// Waits for `work` to end, polling every tick; meanwhile publishes how long it runs
    /// (`launchq_reconcile_running_seconds`), cancels it past ``AdminServer/Configuration/runTimeout`` (with an event
    /// `reconcile.cancelled`) and abandons it when it does not stop within ``AdminServer/Configuration/watchdogGrace``,
    /// or when steps in flight outlast ``AdminServer/Configuration/shutdownTimeout`` after SIGTERM.
    func supervise(_ work: RunTask, trigger: String, progress: RunProgress, stop: DrainSignal) async -> Supervised {
        var cancelled: (at: ContinuousClock.Instant, waitingOn: String)?
        while true {
            if var run = work.finished {
                if let cancelled {
                    run.outcome = "error"
                    run.message = "cancelled by the watchdog after \(Self.text(configuration.runTimeout)) while waiting on \(cancelled.waitingOn)"
                }
                return Supervised(run: run, watchdog: cancelled != nil)
            }
            let now = ContinuousClock.now
            runner.metrics.runningSeconds.set(to: Self.seconds(progress.elapsed))
            // Cancelled from outside (the service group gave up waiting): the same as a shutdown.
            if Task.isCancelled { state.withLock { $0.shutdownAt = $0.shutdownAt ?? now } }
            // The last second of the shutdown timeout is kept for releasing the lease, so serve ends within it.
            let grace = configuration.shutdownTimeout > .seconds(2) ? configuration.shutdownTimeout - .seconds(1) : configuration.shutdownTimeout
            if let shutdownAt = state.withLock({ $0.shutdownAt }), now - shutdownAt >= grace {
                let reason = "shutting down: the steps in flight did not finish within the shutdown timeout (\(Self.text(configuration.shutdownTimeout)))"
                return Supervised(run: abandon(work, trigger, progress, outcome: "drained", reason: reason), watchdog: false)
            }
            if cancelled == nil, progress.elapsed >= configuration.runTimeout {
                let waitingOn = progress.waitingOn
                cancelled = (now, waitingOn)
                let message = "the run started \(Self.text(progress.elapsed)) ago (limit \(Self.text(configuration.runTimeout))) and still waits on \(waitingOn); cancelled, it will be retried"
                logger.error("reconcile watchdog: \(message)")
                runner.metrics.watchdogCancellations.increment()
                stop.set()
                work.cancel()
                let events = runner.store.events
                Task {
                    // Bounded by the store's operation timeout; when the database is what the run waits on, the log says it.
                    _ = try? await events.append(EventDraft(actor: "launchq serve", action: "reconcile.cancelled", outcome: .failed, message: message))
                }
            }
            if let cancelled, now - cancelled.at >= configuration.watchdogGrace {
                let reason = "cancelled by the watchdog after \(Self.text(configuration.runTimeout)) while waiting on \(cancelled.waitingOn); it did not stop"
                return Supervised(run: abandon(work, trigger, progress, outcome: "error", reason: reason), watchdog: true)
            }
            await Self.pause(configuration.tick)
        }
    }

    /// Stops waiting for a run that does not end: logs what it leaves behind and gives the run's result.
    private func abandon(_ work: RunTask, _ trigger: String, _ progress: RunProgress, outcome: String, reason: String) -> ReconcileRun {
        work.cancel()
        let inFlight = progress.stepsInFlight
        logger.error(
            "abandoning the reconcile run: \(reason)",
            metadata: ["waitingOn": "\(progress.waitingOn)", "stepsInFlight": "\(inFlight.isEmpty ? "none" : inFlight.joined(separator: "; "))"])
        var run = ReconcileRun(outcome: outcome, trigger: trigger, startedAt: progress.startedAt)
        run.message = reason + (inFlight.isEmpty ? "" : "; abandoned in flight: \(inFlight.joined(separator: ", "))")
        run.durationSeconds = Self.seconds(progress.elapsed)
        runner.metrics.recordRun(outcome: outcome, duration: progress.elapsed)
        return run
    }

    /// Sleeps `duration` even when the calling task is cancelled (a cancelled `Task.sleep` returns at once).
    static func pause(_ duration: Duration) async {
        await Task { try? await Task.sleep(for: duration) }.value
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `20s`, `1m30s`; sub-second durations in milliseconds.
    static func text(_ duration: Duration) -> String {
        duration < .seconds(1) ? "\(duration.components.attoseconds / 1_000_000_000_000_000)ms" : duration.formatted()
    }
}
