import Logging
import ServiceLifecycle

/// Runs a ``SandboxServer`` as a ServiceLifecycle service: starts it, serves until graceful shutdown (SIGINT or
/// SIGTERM when run in a `ServiceGroup` with those signals), then stops it and saves the state file.
public struct SandboxService: Service {
    public var configuration: SandboxConfiguration
    public var logger: Logger
    /// Called once the server listens (for example to print its address).
    public var onStarted: @Sendable (SandboxServer) async -> Void

    public init(
        configuration: SandboxConfiguration, logger: Logger = Logger(label: "launchq.sandbox"),
        onStarted: @escaping @Sendable (SandboxServer) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.onStarted = onStarted
    }

    public func run() async throws {
        let server = try await SandboxServer.start(configuration, logger: logger)
        await onStarted(server)
        // Returns on graceful shutdown; throws if the task is cancelled instead. Stop and save either way.
        try? await gracefulShutdown()
        try await server.stop()
    }
}
