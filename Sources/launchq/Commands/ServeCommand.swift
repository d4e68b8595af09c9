import AdminServer
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Reconciler
import ServiceLifecycle
import UnixSignals
import Store
import WandbAPI

/// `launchq serve`: the admin API and scheduled reconciliation, until SIGTERM/SIGINT (then it drains).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the admin API and reconcile W&B on every new revision, on a schedule and on demand.",
        discussion: """
            Needs PostgreSQL (--database-url or DATABASE_URL; migrations run at start) and W&B (--wandb-url or
            WANDB_BASE_URL; the API key from WANDB_API_KEY or --wandb-api-key-file). Declarations come from pushes to
            POST /v1/revisions, and from --source DIR or --git-url when given. Several replicas may share one database:
            only the holder of the lease reconciles, the others serve reads and take over when it lapses.
            The webhook POST /v1/hooks/git needs LAUNCHQ_WEBHOOK_SECRET (or --webhook-secret-file).
            Secrets may come from files: WANDB_API_KEY_FILE, DATABASE_URL_FILE, LAUNCHQ_WEBHOOK_SECRET_FILE.
            """)

    @Option(help: ArgumentHelp("Address to listen on: HOST:PORT, :PORT or PORT (default: $LAUNCHQ_LISTEN or 127.0.0.1:8080).", valueName: "address"))
    var listen: String?

    @Option(help: ArgumentHelp("Time between scheduled reconciles: 30s, 5m, 1h (default: $LAUNCHQ_INTERVAL or 5m).", valueName: "duration"))
    var interval: String?

    @Option(help: ArgumentHelp("Publish the declarations in this directory (default: $LAUNCHQ_SOURCE; none: pushes only).", valueName: "dir"))
    var source: String?

    @Option(name: .customLong("git-url"), help: ArgumentHelp("Publish the declarations of this git repository instead.", valueName: "url"))
    var gitURL: String?

    @Option(name: .customLong("git-branch"), help: "The branch to follow.")
    var gitBranch = "main"

    @Option(name: .customLong("git-checkout"), help: ArgumentHelp("Where to keep the checkout (default: a temporary directory).", valueName: "dir"))
    var gitCheckout: String?

    @Option(name: .customLong("git-poll"), help: ArgumentHelp("Also pull the git source this often (default: only each interval and on the webhook).", valueName: "duration"))
    var gitPoll: String?

    @Option(name: .customLong("webhook-secret-file"), help: ArgumentHelp("File holding the webhook secret (default: $LAUNCHQ_WEBHOOK_SECRET).", valueName: "path"))
    var webhookSecretFile: String?

    @Option(name: .customLong("lease-seconds"), help: "Length of the reconciler lease; renewed every third of it. A dead leader is replaced within about 1⅓ of it.")
    var leaseSeconds = 30

    @Option(help: "Most writes in flight at once.")
    var concurrency = 8

    @Option(help: "Most observe-plan-apply rounds per reconcile.")
    var rounds = 3

    @Option(
        name: .customLong("run-timeout"),
        help: ArgumentHelp("Cancel and retry a reconcile run that lasts longer than this, with an event saying so (default: 15m).", valueName: "duration"))
    var runTimeout = "15m"

    @Option(
        name: .customLong("shutdown-timeout"),
        help: ArgumentHelp("On SIGTERM/SIGINT, how long writes in flight may take to finish; then serve exits anyway, logging what it abandoned (default: 20s).", valueName: "duration"))
    var shutdownTimeout = "20s"

    @Option(
        name: .customLong("database-timeout"),
        help: ArgumentHelp("Give up on one database operation (a query or a transaction) after this long (default: 10s).", valueName: "duration"))
    var databaseTimeout = "10s"

    @Option(
        name: .customLong("backoff-base"),
        help: ArgumentHelp(
            "After an object's write fails, leave it alone this long before trying again; doubled on each further failure, at most 1h (default: 30s).",
            valueName: "duration"))
    var backoffBase = "30s"

    @Option(
        name: .customLong("metrics-listen"),
        help: ArgumentHelp("Also serve /metrics on this address of its own: HOST:PORT, :PORT or PORT (default: $LAUNCHQ_METRICS_LISTEN; none).", valueName: "address"))
    var metricsListen: String?

    @Option(
        name: .customLong("notify-url"),
        help: ArgumentHelp("POST a JSON notification here when an object becomes failed or drifted, or a run fails; repeatable (default: $LAUNCHQ_NOTIFY_URL, comma-separated).", valueName: "url"))
    var notifyURLs: [String] = []

    @Option(
        name: .customLong("notify-secret-file"),
        help: ArgumentHelp("Sign notifications with HMAC-SHA256 of the body under the secret in this file (X-Launchq-Signature-256).", valueName: "path"))
    var notifySecretFile: String?

    @Option(
        name: .customLong("queue-backlog"),
        help: ArgumentHelp(
            "Read each managed queue's pending items in the same batched reads, for the backlog gauges, /v1/objects and the status page: true or false (default: $LAUNCHQ_QUEUE_BACKLOG or true).",
            valueName: "bool"))
    var queueBacklog: Bool?

    @Option(name: .customLong("replica-id"), help: "This replica's name in the lease (default: hostname:pid:random).")
    var replicaID: String?

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var options: ReconcileOptions

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func validate() throws {
        if leaseSeconds < 1 { throw ValidationError("--lease-seconds must be at least 1") }
        if concurrency < 1 || rounds < 1 { throw ValidationError("--concurrency and --rounds must be at least 1") }
        if source != nil, gitURL != nil { throw ValidationError("give either --source or --git-url, not both") }
    }

    func makeConfiguration() throws -> AdminServer.Configuration {
        var configuration = AdminServer.Configuration()
        (configuration.host, configuration.port) = try SandboxCommand.parseListen(listen ?? environment["LAUNCHQ_LISTEN"] ?? "127.0.0.1:8080")
        let intervalText = interval ?? environment["LAUNCHQ_INTERVAL"] ?? "5m"
        guard let every = DurationText.parse(intervalText) else {
            let message = "--interval / LAUNCHQ_INTERVAL must be a duration such as 30s, 5m or 1h, got '\(intervalText)'"
            // A bad flag is a usage error (64); a bad LAUNCHQ_INTERVAL is a setting's (1).
            if interval != nil { throw ValidationError(message) }
            throw SettingsError(.invalid, message)
        }
        configuration.interval = every
        configuration.leaseDuration = .seconds(leaseSeconds)
        configuration.executor.allowNonemptyDelete = options.allowsNonemptyDelete
        configuration.planner = try options.plannerConfiguration()
        configuration.kubernetesVersion = try options.kubernetesVersion
        configuration.executor.concurrency = concurrency
        configuration.maxRounds = rounds
        guard let runLimit = DurationText.parse(runTimeout), runLimit >= .seconds(1) else {
            throw ValidationError("--run-timeout must be a duration of at least 1s such as 90s or 15m, got '\(runTimeout)'")
        }
        configuration.runTimeout = runLimit
        guard let grace = DurationText.parse(shutdownTimeout) else {
            throw ValidationError("--shutdown-timeout must be a duration such as 20s, got '\(shutdownTimeout)'")
        }
        configuration.shutdownTimeout = grace
        guard let backoff = DurationText.parse(backoffBase), backoff >= .seconds(1) else {
            throw ValidationError("--backoff-base must be a duration of at least 1s such as 30s or 5m, got '\(backoffBase)'")
        }
        configuration.backoff.base = backoff
        if let replicaID { configuration.replicaID = replicaID }
        if let gitPoll {
            guard let poll = DurationText.parse(gitPoll) else { throw ValidationError("--git-poll must be a duration such as 30s or 5m") }
            configuration.sourcePollInterval = poll
        }
        if let path = webhookSecretFile {
            guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError(.unreadableFile, "cannot read --webhook-secret-file \(path)") }
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw SettingsError(.unreadableFile, "--webhook-secret-file \(path) is empty") }
            configuration.webhookSecret = WebhookSecret(secret)
        } else if let secret = try SecretFileSetting.environment["LAUNCHQ_WEBHOOK_SECRET"], !secret.isEmpty {
            configuration.webhookSecret = WebhookSecret(secret)
        }
        try applyOperatorSettings(to: &configuration)
        return configuration
    }

    /// `--metrics-listen`, `--notify-url`, `--notify-secret-file`, `--queue-backlog` (and their environment variables).
    func applyOperatorSettings(to configuration: inout AdminServer.Configuration) throws {
        if let queueBacklog {
            configuration.queueBacklog = queueBacklog
        } else if let text = environment["LAUNCHQ_QUEUE_BACKLOG"], !text.isEmpty {
            switch text.lowercased() {
            case "1", "true", "yes", "on": configuration.queueBacklog = true
            case "0", "false", "no", "off": configuration.queueBacklog = false
            default: throw SettingsError(.invalid, "LAUNCHQ_QUEUE_BACKLOG must be true or false, got \(text)")
            }
        }
        if let text = metricsListen ?? environment["LAUNCHQ_METRICS_LISTEN"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let (host, port) = try? SandboxCommand.parseListen(text) else {
                throw ValidationError("--metrics-listen \"\(text)\": expected HOST:PORT, :PORT or PORT with a port from 0 to 65535")
            }
            configuration.metricsListen = MetricsListen(host: host, port: port)
        }
        let urls = notifyURLs.isEmpty
            ? (environment["LAUNCHQ_NOTIFY_URL"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : notifyURLs
        for url in urls {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""), components.host != nil else {
                // The URL itself is not repeated: it may hold a credential.
                throw ValidationError("--notify-url / LAUNCHQ_NOTIFY_URL: every receiver must be an http:// or https:// URL")
            }
        }
        configuration.notifications.urls = urls
        if let path = notifySecretFile {
            guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError(.unreadableFile, "cannot read --notify-secret-file \(path)") }
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw SettingsError(.unreadableFile, "--notify-secret-file \(path) is empty") }
            configuration.notifications.secret = WebhookSecret(secret)
        }
    }

    /// `--git-url`, else `--source` / `LAUNCHQ_SOURCE`: a directory (relative paths made absolute) or `git+<url>@<branch>`.
    func makeSource() throws -> (any DeclarationSource)? {
        let checkout = gitCheckout ?? NSTemporaryDirectory() + "launchq-git-\(ProcessInfo.processInfo.processIdentifier)"
        if let gitURL {
            return GitSource(url: gitURL, branch: gitBranch, checkout: checkout)
        }
        if let source = source ?? environment["LAUNCHQ_SOURCE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                return try GitSource.parse(source, checkout: checkout)
            } catch let error as SourceError {
                throw ValidationError(error.message)
            }
        }
        return nil
    }

    func run() async throws {
        HeapMemory.limitArenas()
        logging.apply()
        let logger = Logger(label: "launchq.serve")
        let configuration = try makeConfiguration()
        guard var database = try options.databaseConfiguration else {
            throw SettingsError(.missing, "launchq serve needs PostgreSQL: give --database-url or set DATABASE_URL (or DATABASE_URL_FILE)")
        }
        guard let operationTimeout = DurationText.parse(databaseTimeout), operationTimeout >= .milliseconds(100) else {
            throw ValidationError("--database-timeout must be a duration such as 5s or 10s, got '\(databaseTimeout)'")
        }
        database.pool.operationTimeout = operationTimeout
        let tracing = try TracingSetup.bootstrap(environment: environment, logger: logger)
        var storeLogger = logger
        storeLogger.logLevel = max(logger.logLevel, .warning)
        let store = try PostgresStore(configuration: database, logger: storeLogger)
        let metrics = AdminMetrics(version: Launchq.configuration.version)
        let client = WandbClient(
            configuration: try options.wandb.configuration(environment: environment), transport: TimedTransport(metrics: metrics), logger: logger)
        AdminServer.bootstrapMetrics(metrics)
        let services = AdminServer.makeServices(
            configuration: configuration, store: store, wandb: client, metrics: metrics, source: try makeSource(), logger: logger)
        // The last word on shutdown: whatever still waits (a pool closing connections to a database that is gone, a
        // request in flight) does not keep the process past the shutdown timeout and a few seconds for the rest.
        let backstop = ShutdownBackstop(limit: configuration.shutdownTimeout + .seconds(5), logger: logger) {
            fflush(nil)
            Foundation.exit(0)
        }
        let app = AdminServer.buildApplication(services, logger: logger) { port in
            print("launchq serve listening on http://\(configuration.host):\(port) (replica \(configuration.replicaID))")
            fflush(nil)
        }
        do {
            // The backstop comes last, so graceful shutdown (in reverse order) arms it before anything else stops.
            // The span exporter comes first, so it stops last and exports the spans of everything else.
            var running: [any Service] = (tracing.map { [$0] } ?? []) + [app]
            if let listen = configuration.metricsListen {
                running.append(AdminServer.buildMetricsApplication(services, listen: listen, logger: logger) { port in
                    print("launchq serve metrics on http://\(listen.host):\(port)/metrics")
                    fflush(nil)
                })
            }
            let group = ServiceGroup(
                configuration: .init(services: running + [backstop], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch let error as StoreError {
            printError("launchq serve: \(error.message)")
            throw ExitCode(1)
        }
    }
}
