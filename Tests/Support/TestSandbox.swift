import Logging
import WandbAPI
import WandbSandbox

/// The one way tests start the W&B sandbox: in-process, on a loopback port the kernel picks (port 0, read back
/// into ``SandboxServer/baseURL``), with a random admin key; and clients for it.
///
/// ```swift
/// try await TestSandbox.with(faults: try FaultPlan.parse("500:0.2 seed=1")) { sandbox in
///     let client = try sandbox.client()
///     ...
/// }                                   // stopped, also when the body throws
/// ```
public struct TestSandbox: Sendable {
    public let server: SandboxServer
    /// The instance admin's API key.
    public let adminKey: String

    public var baseURL: String { server.baseURL }

    /// A harness for a sandbox started elsewhere (tests of the sandbox's own start and restart).
    public init(server: SandboxServer, adminKey: String) {
        self.server = server
        self.adminKey = adminKey
    }

    /// A random 40-character key (the SDK's minimum length).
    public static func randomKey() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<40).map { _ in alphabet.randomElement()! })
    }

    /// Warnings and errors only.
    public static var quietLogger: Logger {
        var logger = Logger(label: "launchq.tests.sandbox")
        logger.logLevel = .warning
        return logger
    }

    /// Retries fast so fault tests take seconds, not the production minutes.
    public static let fastRetry = RetryPolicy(maximumAttempts: 12, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(40))

    /// Starts a sandbox (adjusted by `configure`); stop it with ``stop()``.
    public static func start(_ configure: (inout SandboxConfiguration) throws -> Void = { _ in }) async throws -> TestSandbox {
        let key = randomKey()
        var configuration = SandboxConfiguration(adminAPIKey: key)
        try configure(&configuration)
        return TestSandbox(server: try await SandboxServer.start(configuration, logger: quietLogger), adminKey: key)
    }

    public func stop() async throws { try await server.stop() }

    /// Starts a sandbox (adjusted by `configure`), runs `body`, stops the sandbox (also when `body` throws). Holds
    /// one of the ``TestSlots`` meanwhile.
    public static func with<T>(
        _ configure: (inout SandboxConfiguration) throws -> Void = { _ in }, _ body: (TestSandbox) async throws -> T
    ) async throws -> T {
        try await TestSlots.run { try await withHoldingSlot(configure, body) }
    }

    private static func withHoldingSlot<T>(
        _ configure: (inout SandboxConfiguration) throws -> Void, _ body: (TestSandbox) async throws -> T
    ) async throws -> T {
        let sandbox = try await start(configure)
        do {
            let result = try await body(sandbox)
            try await sandbox.stop()
            return result
        } catch {
            try? await sandbox.stop()
            throw error
        }
    }

    /// ``with(_:_:)`` with injected faults.
    public static func with<T>(faults: FaultPlan, _ body: (TestSandbox) async throws -> T) async throws -> T {
        try await with({ $0.faults = faults }, body)
    }

    /// A client for the sandbox with the admin key (or `key`), ``fastRetry``, a 10 s request timeout and a 30 s
    /// deadline, then `adjust`ed.
    public func client(
        key: String? = nil, logger: Logger = TestSandbox.quietLogger, _ adjust: (inout WandbClient.Configuration) -> Void = { _ in }
    ) throws -> WandbClient {
        var configuration = try WandbClient.Configuration(baseURL: server.baseURL, apiKey: WandbAPIKey(key ?? adminKey))
        configuration.retry = Self.fastRetry
        configuration.deadline = .seconds(30)
        configuration.requestTimeout = .seconds(10)
        adjust(&configuration)
        return WandbClient(configuration: configuration, logger: logger)
    }
}
