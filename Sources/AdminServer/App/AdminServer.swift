import Declarations
import Foundation
import Planning
import Reconciler

/// `launchq serve`: the admin HTTP API, the status page and scheduled reconciliation.
///
/// ```swift
/// var configuration = AdminServer.Configuration()
/// configuration.interval = .seconds(60)
/// let app = AdminServer.buildApplication(configuration: configuration, store: store, wandb: client, logger: logger)
/// try await app.runService()
/// ```
public enum AdminServer {
    /// Settings of the service; every one has a default.
    public struct Configuration: Sendable {
        /// Request bodies over this many bytes are refused with 413 (4 MiB).
        public static let maximumBodySize = 4 * 1024 * 1024

        /// Address to listen on (`127.0.0.1`: loopback only, the safe default).
        public var host = "127.0.0.1"
        /// Port to listen on (0: any free port).
        public var port = 8080
        /// Time between scheduled reconciles.
        public var interval: Duration = .seconds(300)
        /// Scheduled reconciles are spread by up to ± this fraction of ``interval``.
        public var jitter = 0.1
        /// How long the leader lease lasts without renewal; renewed every third of it.
        public var leaseDuration: Duration = .seconds(30)
        /// How often the leader checks for a revision stored by another replica.
        public var revisionPollInterval: Duration = .seconds(2)
        /// The scheduler's polling step for requests and deadlines.
        public var tick: Duration = .milliseconds(100)
        /// Reconcile as soon as the lease is held, not one interval later.
        public var reconcileOnStart = true
        /// This replica's name in the lease (default `hostname:pid:random`).
        public var replicaID = AdminServer.Configuration.defaultReplicaID()
        /// Drift and prune defaults.
        public var planner = Planner.Configuration()
        /// Write concurrency and strictness.
        public var executor = Executor.Configuration()
        /// Most observe-plan-apply rounds in one run.
        public var maxRounds = 3
        /// Backoff for objects whose writes keep failing.
        public var backoff = Backoff.Configuration()
        /// The secret of `POST /v1/hooks/git` (`nil`: the hook answers 404).
        public var webhookSecret: WebhookSecret?
        /// How often a git source is pulled (besides the webhook); `nil`: only at each scheduled reconcile.
        public var sourcePollInterval: Duration?
        /// The Kubernetes version whose Job schema checks pushed and synced `kubernetes` resource configs.
        public var kubernetesVersion: KubernetesVersion = .newest
        /// The watchdog: a run lasting longer than this is cancelled (its steps in flight get
        /// ``watchdogGrace``), an event `reconcile.cancelled` says so, and a new run follows at once.
        public var runTimeout: Duration = .seconds(900)
        /// How long a run cancelled by the watchdog may take to stop before it is abandoned.
        public var watchdogGrace: Duration = .seconds(5)
        /// On SIGTERM/SIGINT, how long steps in flight may take to finish; then `serve` exits anyway, logging
        /// what it abandoned. Under Kubernetes' default 30 s grace period.
        public var shutdownTimeout: Duration = .seconds(20)
        /// The wait before retrying a run that the database, the lease or the watchdog interrupted (doubling
        /// after each such run, up to ``interval``), instead of waiting a whole interval.
        public var retryDelay: Duration = .seconds(2)
        /// Notification receivers, their secret and retry bounds (`--notify-url`; none: nothing is sent).
        public var notifications = Notifier.Configuration()
        /// Where `/metrics` is also served on a port of its own (`--metrics-listen`); `nil`: only on the API's port.
        public var metricsListen: MetricsListen?
        /// Whether each run's batched entity reads also read every managed queue's backlog (pending items, oldest
        /// pending item) for the gauges, `/v1/objects` and the status page: no extra request (`--queue-backlog`).
        public var queueBacklog = true
        /// Queues a run's chunk holds at most, unless one entity alone has more (with at most `--wandb-batch-size`
        /// entities): what bounds a run's memory (README › How serve reconciles a large fleet).
        public var queuesPerChunk = FleetDeclarations.queuesPerChunk

        public init() {}

        static func defaultReplicaID() -> String {
            let host = ProcessInfo.processInfo.hostName
            let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
            return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(suffix)"
        }
    }
}

/// A webhook secret; never printed (`description` is redacted).
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let bytes: [UInt8]
    public init(_ secret: String) { bytes = Array(secret.utf8) }
    public var description: String { "WebhookSecret(<redacted>)" }
    public var debugDescription: String { description }
}
