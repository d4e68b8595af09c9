import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A local W&B GraphQL server for tests, benchmarks, demos and CI.
///
/// ```swift
/// let server = try await SandboxServer.start(SandboxConfiguration(adminAPIKey: key))
/// // point a client (or WANDB_BASE_URL) at server.baseURL, authenticate with HTTP Basic "api:<key>"
/// let counters = await server.counters()
/// try await server.stop()
/// ```
public final class SandboxServer: Sendable {
    /// `http://HOST:PORT` of the running server.
    public let baseURL: String
    /// The port actually bound (useful with `port = 0`).
    public let port: Int

    private let store: SandboxStore
    private let monitor: RequestMonitor
    private let serviceGroup: ServiceGroup
    private let running: Task<Void, any Error>
    private let logger: Logger

    private init(
        baseURL: String, port: Int, store: SandboxStore, monitor: RequestMonitor, serviceGroup: ServiceGroup,
        running: Task<Void, any Error>, logger: Logger
    ) {
        self.baseURL = baseURL
        self.port = port
        self.store = store
        self.monitor = monitor
        self.serviceGroup = serviceGroup
        self.running = running
        self.logger = logger
    }

    /// Loads (or creates) the state, makes sure the admin user exists, and starts listening.
    /// - Returns: once the server accepts connections.
    /// - Throws: ``SandboxError`` for an unreadable state file, or the bind error (for example a port in use).
    public static func start(
        _ configuration: SandboxConfiguration, logger: Logger = Logger(label: "launchq.sandbox")
    ) async throws -> SandboxServer {
        let file = configuration.statePath.map(StateFile.init(path:))
        var state = try file?.load() ?? SandboxState()
        state.bootstrapAdmin(username: configuration.adminUsername, apiKey: configuration.adminAPIKey, now: SandboxStore.timestamp(Date()))
        let store = SandboxStore(state: state, file: file)
        await store.setDeletesQueuesWithItems(configuration.deletesQueuesWithItems)
        try await store.save()

        let monitor = RequestMonitor(faults: configuration.faults)
        let endpoint = GraphQLEndpoint(schema: try ExecutableSchema(removingMutations: configuration.removedMutations), store: store, monitor: monitor, logger: logger)
        let router = SandboxRouter(endpoint: endpoint, maximumBodySize: configuration.maximumBodySize).build()

        let (bound, boundContinuation) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wandb-sandbox"),
            onServerRunning: { channel in
                boundContinuation.yield(.success(channel.localAddress?.port ?? configuration.port))
            },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let running = Task {
            do {
                try await serviceGroup.run()
                boundContinuation.yield(.failure(SandboxError(.storage, "the sandbox server stopped before it was listening")))
            } catch {
                boundContinuation.yield(.failure(error))
                throw error
            }
        }
        var iterator = bound.makeAsyncIterator()
        guard let outcome = await iterator.next() else { throw CancellationError() }
        let port = try outcome.get()
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        logger.info(
            "W&B sandbox listening",
            metadata: ["url": "http://\(host):\(port)", "state": "\(configuration.statePath ?? "in memory")", "faults": "\(configuration.faults)"])
        return SandboxServer(
            baseURL: "http://\(host):\(port)", port: port, store: store, monitor: monitor, serviceGroup: serviceGroup,
            running: running, logger: logger)
    }

    /// Request counters since the start or the last ``resetCounters()``.
    public func counters() async -> SandboxCounters { await monitor.counters }

    /// Zeroes the counters.
    public func resetCounters() async { await monitor.reset() }

    /// Replaces the fault plan (its random sequence restarts from the plan's seed).
    public func setFaults(_ plan: FaultPlan) async { await monitor.setFaults(plan) }

    /// Creates a new API key for an existing user (for tests that act as a non-admin user).
    /// - Throws: ``SandboxError`` `notFound` when there is no such user.
    public func createAPIKey(username: String) async throws -> String {
        let secret = APIKeySecret.generate()
        _ = try await store.mutate { state, now throws(SandboxError) in
            try state.mintAPIKey(username: username, secret: secret, now: now)
        }
        return secret
    }

    /// Stops accepting requests, lets running ones finish, and saves the state file.
    public func stop() async throws {
        await serviceGroup.triggerGracefulShutdown()
        _ = await running.result
        try await store.save()
        logger.info("W&B sandbox stopped", metadata: ["url": "\(baseURL)"])
    }
}
