import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WandbAPI

/// Where `/metrics` is served on a port of its own (`--metrics-listen HOST:PORT`, loopback by default), so a
/// Prometheus scrape needs no route to the admin API.
public struct MetricsListen: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }
}

extension AdminServer {
    /// A server answering only `GET /metrics` (the same exposition as the API port's), on `listen`.
    public static func buildMetricsApplication(
        _ services: AdminServices, listen: MetricsListen, logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let metrics = services.metrics
        let client = services.runner.client
        router.get("metrics") { _, _ in
            metrics.syncWandb(client.stats)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "launchq-metrics"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? listen.port) },
            logger: logger)
    }
}
