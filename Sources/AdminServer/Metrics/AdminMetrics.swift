import Foundation
import Prometheus
import Reconciler
import Synchronization
import WandbAPI
import WandbModel

/// The service's Prometheus metrics, on one ``PrometheusCollectorRegistry`` served at `/metrics`.
///
/// The metrics are made on the registry directly (no global `MetricsSystem` needed, so tests can build
/// many servers in one process); `launchq serve` also bootstraps `MetricsSystem` with the same registry.
public final class AdminMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    let reconcileRuns: [String: Counter]
    let reconcileDuration: DurationHistogram
    let driftedObjects: Gauge
    let failedObjects: Gauge
    let leaseHeld: Gauge
    let suspended: Gauge
    let runningSeconds: Gauge
    let watchdogCancellations: Counter
    private let wandbErrors: Counter
    private let lastStats = Mutex(RequestStats.Snapshot())
    let lastSuccess: Gauge
    /// `launchq_objects{state}`, one gauge per state.
    let objectsByState: [String: Gauge]
    /// The last backlog read (with its `ETag` digest, ``BacklogSnapshot``): `/metrics` renders its gauges from it.
    let backlog = Mutex(BacklogSnapshot.empty)

    /// Outcomes of a reconcile run, the `outcome` label of `launchq_reconcile_runs_total`.
    static let runOutcomes = ["succeeded", "failed", "error", "drained"]

    /// The states of `launchq_objects{state}` (``Store/ObjectState``'s raw values).
    static let objectStates = ["pending", "ready", "drifted", "failed", "orphaned"]

    /// - Parameter version: the `version` label of `launchq_build_info`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "unknown") {
        self.registry = registry
        registry.makeGauge(descriptor: Self.name("build_info", "", "Always 1; the version label names the running build"), labels: [("version", version)])
            .set(to: 1)
        lastSuccess = registry.makeGauge(
            descriptor: Self.name("last_successful_reconcile", "timestamp_seconds", "Unix time when the last reconcile run succeeded (0 before the first)"))
        objectsByState = Dictionary(uniqueKeysWithValues: Self.objectStates.map {
            ($0, registry.makeGauge(descriptor: Self.name("objects", "", "Managed objects by state"), labels: [("state", $0)]))
        })
        reconcileRuns = Dictionary(uniqueKeysWithValues: Self.runOutcomes.map {
            ($0, registry.makeCounter(descriptor: Self.name("reconcile_runs", "total", "Reconcile runs by outcome"), labels: [("outcome", $0)]))
        })
        reconcileDuration = registry.makeDurationHistogram(
            descriptor: Self.name("reconcile_duration", "seconds", "Duration of reconcile runs"),
            buckets: [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300)])
        driftedObjects = registry.makeGauge(descriptor: Self.name("drifted_objects", "", "Objects whose W&B state drifted from the declaration"))
        failedObjects = registry.makeGauge(descriptor: Self.name("failed_objects", "", "Objects whose last reconcile failed"))
        leaseHeld = registry.makeGauge(descriptor: Self.name("lease_held", "", "1 while this replica holds the reconciler lease"))
        suspended = registry.makeGauge(descriptor: Self.name("reconcile_suspended", "", "1 while scheduled reconciliation is suspended"))
        runningSeconds = registry.makeGauge(
            descriptor: Self.name("reconcile_running", "seconds", "How long the reconcile run in progress has lasted (0 when none runs)"))
        watchdogCancellations = registry.makeCounter(
            descriptor: Self.name("reconcile_watchdog_cancellations", "total", "Reconcile runs cancelled because they lasted longer than --run-timeout"))
        wandbErrors = registry.makeCounter(descriptor: Self.name("wandb_errors", "total", "W&B operations that ended in an error"))
    }

    /// Counts one run.
    func recordRun(outcome: String, duration: Duration) {
        reconcileRuns[outcome]?.increment()
        reconcileDuration.record(duration)
        if outcome == "succeeded" { lastSuccess.set(to: Date().timeIntervalSince1970) }
    }

    /// Counts plan steps by action and outcome (`launchq_reconcile_steps_total`).
    func recordStep(action: String, outcome: String) {
        registry.makeCounter(
            descriptor: Self.name("reconcile_steps", "total", "Applied plan steps by outcome"), labels: [("action", action), ("outcome", outcome)]).increment()
    }

    /// Adds what the W&B client sent since the last call (`launchq_wandb_requests_total{operation}`, errors).
    func syncWandb(_ stats: RequestStats) {
        let now = stats.snapshot
        let before = lastStats.withLock { last in
            let previous = last
            last = now
            return previous
        }
        for (operation, count) in now.requestsByOperation {
            let delta = count - (before.requestsByOperation[operation] ?? 0)
            guard delta > 0 else { continue }
            registry.makeCounter(
                descriptor: Self.name("wandb_requests", "total", "HTTP requests to W&B by GraphQL operation"), labels: [("operation", operation)]).increment(by: Int64(delta))
        }
        if now.failures > before.failures { wandbErrors.increment(by: Int64(now.failures - before.failures)) }
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "launchq", metricName: metric, unitName: unit, helpText: help)
    }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        renderBacklog(into: &buffer, at: Date())
        return buffer
    }
}
