import AdminServer
import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import PostgresCluster
import ServiceLifecycle
import Store
import UnixSignals
import WandbAPI
import WandbSandbox

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `launchq dev`: everything on one machine, for trying launchq out and for demos.
///
/// Starts a throwaway PostgreSQL cluster (in a temporary directory), the W&B sandbox in-process, migrates the
/// database, creates an admin token (printed once), and serves the declarations (`examples/` by default) through
/// the same service `launchq serve` runs. Ctrl-C (or SIGTERM) stops the service, the sandbox and the cluster,
/// and deletes the temporary directory.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run launchq locally: a throwaway PostgreSQL, the W&B sandbox and the admin service on example declarations.",
        discussion: """
            Needs the PostgreSQL server binaries (Debian: apt-get install -y postgresql); nothing else.
            When run as root, PostgreSQL runs as the 'postgres' user (initdb refuses root).
            Everything lives in a temporary directory that is deleted on exit; stop with Ctrl-C.
            """
    )

    @Option(name: .long, help: "Address of the admin API and status page: HOST:PORT (port 0 = any free port).")
    var listen = "127.0.0.1:8080"

    @Option(name: .long, help: "Declarations to serve: a directory, or git+<url>@<branch>.")
    var source = "examples"

    @Option(name: .long, help: "Time between scheduled reconciles, e.g. 30s, 5m.")
    var interval = "30s"

    @Flag(name: .long, help: "Log at debug level (requests, reconcile rounds); the same as --log-level debug.")
    var verbose = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        logging.apply(atMost: verbose ? .debug : nil)
        let logger = Logger(label: "launchq.dev")
        var configuration = AdminServer.Configuration()
        (configuration.host, configuration.port) = try SandboxCommand.parseListen(listen)
        guard let every = DurationText.parse(interval) else {
            throw ValidationError("--interval must be a duration such as 30s, 5m or 1h, got '\(interval)'")
        }
        configuration.interval = every
        // A git source is checked out in a temporary directory of its own, deleted on exit like the cluster.
        let checkout = FileManager.default.temporaryDirectory.standardizedFileURL.path
            + "/launchq-dev-checkout." + DevSetup.randomHex(count: 8)
        let declarations = try Self.parseSource(source, checkout: checkout)
        if let secret = try SecretFileSetting.environment["LAUNCHQ_WEBHOOK_SECRET"], !secret.isEmpty {
            configuration.webhookSecret = WebhookSecret(secret)
        }

        let setup = DevSetup(logger: logger, checkout: declarations is GitSource ? checkout : nil)
        let stack: DevStack
        do {
            stack = try await Self.untilSignal { try await setup.start() }
        } catch is CancellationError {
            await setup.tearDown()
            FileHandle.standardError.write(Data("launchq dev: interrupted while starting; everything started was stopped\n".utf8))
            throw ExitCode(130)
        } catch {
            await setup.tearDown()
            throw error
        }
        do {
            try await Self.serve(stack, configuration: configuration, source: declarations, logger: logger)
        } catch {
            await setup.tearDown()
            throw error
        }
        await setup.tearDown()
    }

    /// The one place that runs the admin service (the same wiring as `launchq serve`), until SIGINT/SIGTERM.
    static func serve(
        _ stack: DevStack, configuration: AdminServer.Configuration, source: any DeclarationSource, logger: Logger
    ) async throws {
        let tracing = try TracingSetup.bootstrap(environment: ProcessInfo.processInfo.environment, logger: logger)
        var storeLogger = logger
        storeLogger.logLevel = max(logger.logLevel, .warning)
        let store = try PostgresStore(configuration: stack.database, logger: storeLogger)
        let wandb = WandbClient(
            configuration: try WandbClient.Configuration(baseURL: stack.sandbox.baseURL, apiKey: WandbAPIKey(stack.wandbAPIKey)),
            logger: logger)
        let metrics = AdminMetrics()
        AdminServer.bootstrapMetrics(metrics)
        let services = AdminServer.makeServices(
            configuration: configuration, store: store, wandb: wandb, metrics: metrics, source: source, logger: logger)
        let app = AdminServer.buildApplication(services, migrate: true, logger: logger) { port in
            printBanner(stack: stack, host: configuration.host, port: port, source: source)
        }
        guard let tracing else { return try await app.runService() }
        // The span exporter stops last (reverse order), after the service whose spans it exports.
        try await ServiceGroup(
            configuration: .init(services: [tracing, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }

    /// URLs and the token, printed once the admin port accepts connections. "ready" is the line scripts wait for.
    static func printBanner(stack: DevStack, host: String, port: Int, source: any DeclarationSource) {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let base = "http://\(shownHost):\(port)"
        let location = (source as? GitSource)?.location ?? (source as? DirectorySource)?.path ?? "\(source)"
        print("""

            launchq dev is ready
              admin API     \(base)/v1/objects   (Authorization: Bearer <token>)
              status page   \(base)/?token=\(stack.adminToken)
              health        \(base)/healthz   \(base)/readyz   \(base)/metrics
              W&B sandbox   \(stack.sandbox.baseURL)   (WANDB_BASE_URL; its API key is WANDB_API_KEY below)
              declarations  \(location)\((source is GitSource) ? "   (push webhook: POST \(base)/v1/hooks/git with LAUNCHQ_WEBHOOK_SECRET set)" : "")
              PostgreSQL    \(stack.database)   (data in \(stack.directory), deleted on exit)

            admin token (shown once):
              \(stack.adminToken)
            try:
              curl -H 'Authorization: Bearer \(stack.adminToken)' \(base)/v1/objects
              WANDB_BASE_URL=\(stack.sandbox.baseURL) WANDB_API_KEY=\(stack.wandbAPIKey) launchq plan examples

            Ctrl-C stops everything and removes the temporary cluster.
            """)
        fflush(nil)
    }

    /// Runs `body`; SIGINT/SIGTERM meanwhile cancels it (used while setting up, before the service handles signals).
    static func untilSignal<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await body() }
            tasks.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return nil }
                return nil
            }
            defer { tasks.cancelAll() }
            guard let first = try await tasks.next(), let value = first else { throw CancellationError() }
            return value
        }
    }

    /// The source, checked before anything starts: a directory must be readable now (a git source is cloned later).
    static func parseSource(_ text: String, checkout: String) throws -> any DeclarationSource {
        do {
            let source = try GitSource.parse(text, checkout: checkout)
            if let directory = source as? DirectorySource { _ = try directory.read() }
            return source
        } catch let error as SourceError {
            let hint = text == "examples" ? " (run from the launchq repository, or give --source DIR)" : ""
            throw ValidationError("--source: \(error.message)\(hint)")
        }
    }
}

/// A failure of `launchq dev` itself, printed as its message.
struct DevError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What `launchq dev` started: the cluster, the sandbox and their secrets.
struct DevStack: Sendable {
    let directory: String
    let database: DatabaseConfiguration
    let sandbox: SandboxServer
    let wandbAPIKey: String
    let adminToken: String
}

/// Starts and tears down the throwaway parts (idempotent tear-down, safe after a partial start).
actor DevSetup {
    let logger: Logger
    private var cluster: ThrowawayPostgres?
    private var sandbox: SandboxServer?
    /// A git source's checkout directory, removed on tear-down.
    private var checkout: String?

    init(logger: Logger, checkout: String? = nil) {
        self.logger = logger
        self.checkout = checkout
    }

    func start() async throws -> DevStack {
        let cluster = try await ThrowawayPostgres.start(.dev)
        self.cluster = cluster
        logger.info("PostgreSQL started", metadata: ["port": "\(cluster.port)", "directory": "\(cluster.directory)"])
        let database = try DatabaseConfiguration(url: cluster.url)

        let key = Self.randomHex(count: 40)
        let sandbox = try await SandboxServer.start(SandboxConfiguration(adminAPIKey: key), logger: logger)
        self.sandbox = sandbox

        let token = try await PostgresStore.withStore(database, logger: logger) { store in
            _ = try await store.migrator.migrate()
            return try await store.tokens.create(name: "dev-admin", role: .admin)
        }
        return DevStack(directory: cluster.directory, database: database, sandbox: sandbox, wandbAPIKey: key, adminToken: token.secret)
    }

    func tearDown() async {
        if let checkout {
            try? FileManager.default.removeItem(atPath: checkout)
            self.checkout = nil
        }
        if let sandbox {
            try? await sandbox.stop()
            self.sandbox = nil
        }
        if let cluster {
            cluster.stop()
            self.cluster = nil
            logger.info("PostgreSQL stopped and its directory removed", metadata: ["directory": "\(cluster.directory)"])
        }
    }

    /// `count` random lower-case hex digits from the system's secure generator.
    static func randomHex(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
    }
}
