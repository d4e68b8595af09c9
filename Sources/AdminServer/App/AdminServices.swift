import Store

/// What the controllers need: the store, the reconciler, the scheduler, metrics and the source.
public struct AdminServices: Sendable {
    public let configuration: AdminServer.Configuration
    public let store: PostgresStore
    public let runner: ReconcileRunner
    public let scheduler: Scheduler
    public let metrics: AdminMetrics
    public let sourceSync: SourceSync?
}
