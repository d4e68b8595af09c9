import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Store
import WandbAPI

extension AdminServer {
    /// The services of one `serve` process: the reconciler, the scheduler and (optionally) the source sync.
    public static func makeServices(
        configuration: Configuration, store: PostgresStore, wandb: WandbClient, metrics: AdminMetrics = AdminMetrics(),
        source: (any DeclarationSource)? = nil, logger: Logger
    ) -> AdminServices {
        let notifier = configuration.notifications.urls.isEmpty
            ? nil : Notifier(configuration: configuration.notifications, replica: configuration.replicaID, logger: logger)
        let runner = ReconcileRunner(
            store: store, client: wandb, configuration: configuration, metrics: metrics, logger: logger, notifier: notifier)
        let sync = source.map { SourceSync(source: $0, store: store, kubernetesVersion: configuration.kubernetesVersion, logger: logger) }
        let scheduler = Scheduler(
            runner: runner, lease: store.lease(), configuration: configuration, logger: logger,
            beforeScheduledRun: sync.map { sync in
                { @Sendable in
                    do {
                        try await sync.sync(pull: true)
                    } catch {
                        logger.error("could not read the declaration source", metadata: ["error": "\(ReconcileRunner.describe(error))"])
                    }
                }
            })
        return AdminServices(configuration: configuration, store: store, runner: runner, scheduler: scheduler, metrics: metrics, sourceSync: sync)
    }

    /// Sends every swift-metrics metric (Hummingbird's, the client's) to `metrics`' registry too.
    /// Call once per process (`MetricsSystem` can be bootstrapped only once).
    public static func bootstrapMetrics(_ metrics: AdminMetrics) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
    }

    /// The admin API's routes: open endpoints, viewer reads, admin writes, the webhook and the status page.
    public static func buildRouter(_ services: AdminServices) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        // First, so the request's log line and metrics carry the status the error middleware answers with.
        router.middlewares.add(RequestLogMiddleware(metrics: services.metrics))
        router.middlewares.add(ErrorMiddleware())
        HealthController(services: services).register(router: router)
        // The status page and GET /v1/objects share the counts summaries (one aggregate per change of the objects).
        let summaries = ObjectSummaries()
        StatusPageController(services: services, summaries: summaries).register(router: router)
        HooksController(services: services).register(router: router)
        let viewer = router.group("v1").add(middleware: AuthMiddleware(verifier: services.store.tokens, required: .viewer))
        let admin = router.group("v1").add(middleware: AuthMiddleware(verifier: services.store.tokens, required: .admin))
        ObjectsController(services: services, summaries: summaries).register(viewer: viewer)
        RevisionsController(services: services).register(viewer: viewer, admin: admin)
        RevisionHistoryController(services: services).register(viewer: viewer, admin: admin)
        PlanPreviewController(services: services).register(viewer: viewer)
        ReconcileController(services: services).register(viewer: viewer, admin: admin)
        EventsController(services: services).register(viewer: viewer)
        ValidateController(kubernetesVersion: services.configuration.kubernetesVersion).register(viewer: viewer)
        return router
    }

    /// The whole service: HTTP server, the store's pool and the scheduler, run with `app.runService()`.
    ///
    /// Before the port opens, the database is checked and migrated (when `migrate` is set), so `/readyz`
    /// answers 200 from the first request. `runStore: false` when the store's pool already runs elsewhere (tests).
    public static func buildApplication(
        _ services: AdminServices, migrate: Bool = true, runStore: Bool = true, logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var app = Application(
            router: buildRouter(services),
            configuration: .init(address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "launchq"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? services.configuration.port) },
            logger: logger)
        // Order matters: graceful shutdown runs in reverse, so the scheduler drains while the pool still runs.
        if runStore { app.addServices(services.store) }
        app.addServices(services.scheduler)
        if let notifier = services.runner.notifier { app.addServices(notifier) }
        if let interval = services.configuration.sourcePollInterval, let sync = services.sourceSync {
            app.addServices(SourcePoller(sync: sync, scheduler: services.scheduler, interval: interval, logger: logger))
        }
        let store = services.store
        app.beforeServerStarts {
            try await store.checkConnection()
            if migrate { try await store.migrator.migrate() }
        }
        return app
    }
}
