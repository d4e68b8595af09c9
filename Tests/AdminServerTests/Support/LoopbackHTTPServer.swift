import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird server in the test's process on 127.0.0.1, on a port the kernel picked (read back once the server
/// runs, never guessed): the one way the test receivers (notifications, OTLP) listen.
struct LoopbackHTTPServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts serving `router` and returns once the port is bound.
    static func start(_ router: Router<BasicRequestContext>, label: String) async throws -> LoopbackHTTPServer {
        var logger = Logger(label: label)
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return LoopbackHTTPServer(port: port, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
