import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import WandbSandbox

/// `launchq sandbox`: the local W&B GraphQL server for tests, demos and CI.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local W&B GraphQL server (sandbox) for tests, demos and CI.",
        discussion: """
            Serves POST /graphql like a W&B server for the run-queue, team, user and project calls of the wandb SDK.
            The admin API key comes from --api-key or WANDB_API_KEY; it belongs to an instance admin named "admin".
            Fault spec example: '500:0.1,429:0.1@retry-after=1,latency:50ms,drop:0.05;op=UpsertRunQueue seed=7'
            (see Sources/WandbSandbox/README.md). Stops on SIGINT/SIGTERM, saving --state.
            """
    )

    @Option(name: .long, help: "Address to listen on: HOST:PORT, :PORT or PORT (port 0 = any free port).")
    var listen = "127.0.0.1:8181"

    @Option(name: .long, help: "JSON file that keeps the sandbox state across restarts (written atomically).")
    var state: String?

    @Option(name: .long, help: "Faults to inject into /graphql requests, e.g. '500:0.1,latency:50ms;op=UpsertRunQueue'; 'introspection=off' answers __schema/__type with no data.")
    var faults: String?

    @Option(name: .customLong("api-key"), help: "API key of the instance admin (default: env WANDB_API_KEY).")
    var apiKey: String?

    @Option(name: .long, help: "Username and personal entity of the instance admin.")
    var adminUsername = "admin"

    @Flag(name: .long, help: "Log every GraphQL request (operation, user, status).")
    var verbose = false

    @Flag(
        name: .customLong("delete-queues-with-items"),
        help: "Let deleteRunQueues delete a queue that still holds items, with its items (default: refused; W&B's behaviour is not known).")
    var deleteQueuesWithItems = false

    func run() async throws {
        var logger = Logger(label: "launchq.sandbox")
        logger.logLevel = verbose ? .debug : .info
        let configuration = try makeConfiguration()
        let service = SandboxService(configuration: configuration, logger: logger) { server in
            print("W&B sandbox listening on \(server.baseURL)")
            fflush(nil)
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    func makeConfiguration() throws -> SandboxConfiguration {
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["WANDB_API_KEY"], !key.isEmpty else {
            throw SettingsError(.missing, "give the admin API key with --api-key or the WANDB_API_KEY environment variable")
        }
        var configuration = SandboxConfiguration(adminAPIKey: key)
        (configuration.host, configuration.port) = try Self.parseListen(listen)
        configuration.statePath = state
        configuration.deletesQueuesWithItems = deleteQueuesWithItems
        configuration.adminUsername = adminUsername
        if let faults {
            do {
                configuration.faults = try FaultPlan.parse(faults)
            } catch {
                throw ValidationError("--faults: \(error.message)")
            }
        }
        return configuration
    }

    /// `HOST:PORT`, `[IPv6]:PORT`, `:PORT` or `PORT`.
    static func parseListen(_ text: String) throws -> (String, Int) {
        var host = "127.0.0.1"
        var portText = text
        if let colon = text.lastIndex(of: ":") {
            let hostPart = text[..<colon]
            portText = String(text[text.index(after: colon)...])
            if !hostPart.isEmpty {
                host = hostPart.hasPrefix("[") && hostPart.hasSuffix("]") ? String(hostPart.dropFirst().dropLast()) : String(hostPart)
            }
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--listen \"\(text)\": expected HOST:PORT with a port from 0 to 65535")
        }
        return (host, port)
    }
}
