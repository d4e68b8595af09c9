import Logging
import PostgresNIO
import ServiceLifecycle

/// launchq's PostgreSQL store: one `PostgresClient` pool and the repositories built on it.
///
/// `PostgresStore` is a ServiceLifecycle `Service`: put it in the `ServiceGroup` (or `app.addServices(store)`)
/// so the pool runs, then call ``migrator`` before serving. For one-shot commands use ``withStore(_:logger:_:)``.
///
/// ```swift
/// let store = PostgresStore(configuration: try DatabaseConfiguration(url: url), logger: logger)
/// app.addServices(store)
/// app.beforeServerStarts { try await store.checkConnection(); try await store.migrator.migrate() }
/// ```
public struct PostgresStore: Service, Sendable {
    /// The database settings this store was made with (the password is never printed).
    public let configuration: DatabaseConfiguration
    /// The connection pool. Its `run()` must be active (see ``run()``) before queries are issued.
    public let client: PostgresClient
    let logger: Logger
    /// Opened by ``run()`` (or ``withStore(_:logger:_:)``) as the pool starts; database calls wait for it.
    let poolStart = PoolStart()
    /// Recently verified API tokens (answers only while ``listenForControl(listening:_:)`` runs; see ``TokenCache``).
    public let tokenCache: TokenCache
    /// The objects' version as announced on ``ControlChannel`` (answers only while a listener runs; see ``ObjectsVersionCache``).
    public let objectsVersion = ObjectsVersionCache()

    /// Creates the store and its pool; no connection is opened until ``run()`` runs and a query needs one.
    public init(configuration: DatabaseConfiguration, logger: Logger, tokenCache: TokenCache = TokenCache()) throws {
        self.configuration = configuration
        self.logger = logger
        self.tokenCache = tokenCache
        var background = logger
        background.handler = PoolStartLogFilter(inner: logger.handler, poolStart: poolStart)
        self.client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: background)
    }

    /// Runs the connection pool until cancelled or until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await runPool()
        }
    }

    /// Lets database calls through and runs the pool (in that order, with no suspension between them: see ``PoolStart``).
    func runPool() async {
        poolStart.open()
        await client.run()
    }

    /// Applies the embedded migrations (see ``Migrator``).
    public var migrator: Migrator { Migrator(store: self) }
    /// Desired-state history and the current revision.
    public var revisions: PostgresRevisionRepository { .init(store: self) }
    /// One status row per managed object.
    public var objects: PostgresObjectStatusRepository { .init(store: self) }
    /// The append-only audit log.
    public var events: PostgresEventRepository { .init(store: self) }
    /// Admin API tokens.
    public var tokens: PostgresTokenRepository { .init(store: self) }
    /// Whether scheduled reconciliation is suspended (shared by every replica).
    public var control: PostgresSchedulerControlRepository { .init(store: self) }
    /// Per-object backoff (shared by every replica).
    public var backoff: PostgresBackoffRepository { .init(store: self) }
    /// Reconcile requests, recorded by any replica and run by the leader.
    public var reconcileRequests: PostgresReconcileRequestRepository { .init(store: self) }
    /// The reconciler leader lease named `name`.
    public func lease(named name: String = PostgresLeaderLease.defaultName) -> PostgresLeaderLease { .init(store: self, name: name) }

    /// Opens one connection outside the pool, runs `SELECT 1` and closes it.
    ///
    /// The pool retries failed connections for up to a minute; this check fails at once with a clear
    /// ``StoreError`` naming host and port (code ``StoreError/Code/unreachable``, ``StoreError/Code/authenticationFailed``
    /// or ``StoreError/Code/databaseNotFound``).
    public func checkConnection() async throws {
        do {
            let connection = try await PostgresConnection.connect(
                on: PostgresClient.defaultEventLoopGroup.any(),
                configuration: try configuration.connectionConfiguration(),
                id: 0,
                logger: logger)
            do {
                _ = try await connection.query("SELECT 1", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch {
            throw StoreError.wrapping(error, database: configuration, while: "connecting")
        }
    }

    /// Checks the connection, runs the pool for the duration of `body`, then shuts the pool down.
    ///
    /// For command-line tools and tests; long-running servers add the store to their `ServiceGroup` instead.
    public static func withStore<Result: Sendable>(
        _ configuration: DatabaseConfiguration,
        logger: Logger,
        _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let store = try PostgresStore(configuration: configuration, logger: logger)
        try await store.checkConnection()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.runPool() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// Runs `body` with a pooled connection, mapping driver errors to ``StoreError``; gives up after `timeout`
    /// (default ``DatabaseConfiguration/Pool/operationTimeout``) with ``StoreError/Code/unreachable``.
    func withConnection<Result: Sendable>(
        _ operation: String, timeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded(operation, timeout: timeout) { [client] in
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one transaction (all or nothing), mapping driver errors to ``StoreError``; gives up after
    /// ``DatabaseConfiguration/Pool/operationTimeout`` (the transaction is then rolled back when its connection closes).
    func withTransaction<Result: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded(operation, timeout: nil) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs one query on the pool and collects its rows, mapping driver errors to ``StoreError``; gives up after
    /// ``DatabaseConfiguration/Pool/operationTimeout``.
    @discardableResult
    func query(_ operation: String, _ query: PostgresQuery) async throws -> [PostgresRow] {
        try await bounded(operation, timeout: nil) { [client, logger] in
            try await client.query(query, logger: logger).collect()
        }
    }

    /// Every database call goes through here: a deadline that holds even when the driver does not end on
    /// cancellation (a pool waiting for a database that went away), and driver errors mapped to ``StoreError``.
    /// (Called inside the call's span: see ``bounded(_:timeout:_:)`` in PostgresStore+Tracing.)
    func boundedWithoutSpan<Result: Sendable>(
        _ operation: String, timeout: Duration?, _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let limit = timeout ?? configuration.pool.operationTimeout
        let database = configuration
        let poolStart = poolStart
        do {
            return try await OperationDeadline.run(
                limit,
                onTimeout: {
                    StoreError.unreachable(host: database.host, port: database.port, reason: "no answer within \(limit) while \(operation)")
                },
                operation: {
                    try await poolStart.wait()
                    return try await work()
                })
        } catch {
            throw StoreError.wrapping(error, database: configuration, while: operation)
        }
    }
}
