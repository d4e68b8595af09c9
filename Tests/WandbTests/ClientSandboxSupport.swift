import Logging
import WandbAPI
import WandbSandbox

/// A sandbox W&B server started for one test, and clients for it.
struct ClientSandbox {
    let server: SandboxServer
    let adminKey: String

    /// A random 40-character key (the SDK's minimum length).
    static func randomKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<40).map { _ in alphabet.randomElement()! })
    }

    /// Retries fast so fault tests take milliseconds, not the production seconds.
    static let fastRetry = RetryPolicy(maximumAttempts: 12, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(40))

    /// A client for the sandbox with the admin key (or `key`), fast retries and a 20 s deadline.
    func client(key: String? = nil, _ adjust: (inout WandbClient.Configuration) -> Void = { _ in }) throws -> WandbClient {
        var configuration = try WandbClient.Configuration(baseURL: server.baseURL, apiKey: WandbAPIKey(key ?? adminKey))
        configuration.retry = Self.fastRetry
        configuration.deadline = .seconds(20)
        configuration.requestTimeout = .seconds(10)
        adjust(&configuration)
        return WandbClient(configuration: configuration, logger: Logger(label: "launchq.client-test"))
    }

    /// Starts a sandbox on a free loopback port, runs `body`, stops the sandbox.
    static func with<T>(faults: FaultPlan = .none, _ body: (ClientSandbox) async throws -> T) async throws -> T {
        let key = randomKey()
        var configuration = SandboxConfiguration(adminAPIKey: key)
        configuration.faults = faults
        let server = try await SandboxServer.start(configuration, logger: Logger(label: "launchq.sandbox-test"))
        let sandbox = ClientSandbox(server: server, adminKey: key)
        do {
            let result = try await body(sandbox)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }
}
