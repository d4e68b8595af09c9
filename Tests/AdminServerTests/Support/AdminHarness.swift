import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Logging
import Store
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// One admin server for a test: a fresh database, an in-process W&B sandbox over HTTP, a real client, tokens.
struct AdminHarness: Sendable {
    let store: PostgresStore
    let database: DatabaseConfiguration
    let sandbox: SandboxServer
    let sandboxKey: String
    let client: WandbClient
    let services: AdminServices
    let adminToken: String
    let viewerToken: String

    static var quietLogger: Logger {
        var logger = Logger(label: "launchq.adminserver.tests")
        logger.logLevel = .error
        return logger
    }

    /// A configuration for tests: quick ticks, revisions noticed within 200 ms, nothing scheduled for an hour.
    static func testConfiguration() -> AdminServer.Configuration {
        var configuration = AdminServer.Configuration()
        configuration.port = 0
        configuration.interval = .seconds(3600)
        configuration.reconcileOnStart = false
        configuration.tick = .milliseconds(20)
        configuration.revisionPollInterval = .milliseconds(200)
        configuration.leaseDuration = .seconds(6)
        return configuration
    }

    /// Starts a sandbox and a fresh database, runs `body`, stops everything (also when `body` throws).
    static func with<T: Sendable>(
        configure: @Sendable (inout AdminServer.Configuration) -> Void = { _ in },
        source: (any DeclarationSource)? = nil,
        sandbox configureSandbox: @Sendable (inout SandboxConfiguration) -> Void = { _ in },
        _ body: @Sendable (AdminHarness) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withFreshDatabase { store, database in
            let started = try await TestSandbox.start { configureSandbox(&$0) }
            let (sandbox, key) = (started.server, started.adminKey)
            do {
                let client = try started.client(logger: quietLogger) {
                    $0.retry = RetryPolicy(maximumAttempts: 4, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(40))
                }
                var configuration = testConfiguration()
                configure(&configuration)
                let services = AdminServer.makeServices(
                    configuration: configuration, store: store, wandb: client, source: source, logger: quietLogger)
                let admin = try await store.tokens.create(name: "ci", role: .admin)
                let viewer = try await store.tokens.create(name: "dashboard", role: .viewer)
                let harness = AdminHarness(
                    store: store, database: database, sandbox: sandbox, sandboxKey: key, client: client, services: services,
                    adminToken: admin.secret, viewerToken: viewer.secret)
                let result = try await body(harness)
                try await sandbox.stop()
                return result
            } catch {
                try? await sandbox.stop()
                throw error
            }
        }
    }

    /// The application (scheduler included; the store's pool already runs).
    var application: some ApplicationProtocol {
        AdminServer.buildApplication(services, migrate: false, runStore: false, logger: Self.quietLogger)
    }

    /// `Authorization: Bearer …` (plus `extra`).
    static func headers(_ token: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    /// A JSON bundle body from files.
    static func bundle(_ files: [(String, String)], source: [String: JSONValue]? = nil) -> ByteBuffer {
        var members: [String: JSONValue] = [
            "files": .array(files.map { .object(["path": .string($0.0), "content": .string($0.1)]) }),
        ]
        if let source { members["source"] = .object(source) }
        return ByteBuffer(string: CanonicalJSON.string(.object(members)))
    }

    /// Parses a JSON answer.
    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    /// Waits until the scheduler holds the lease (a few ticks).
    func waitForLeadership(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !services.scheduler.status.leader {
            try #require(ContinuousClock.now < deadline, "the scheduler did not take the lease")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Declarations used by the tests.
enum Bundles {
    /// Validates `files` and publishes them as the current revision, straight through the store (no HTTP).
    static func publish(
        _ files: [(String, String)], to store: PostgresStore, source: RevisionSource = RevisionSource(kind: "api", location: "test")
    ) async throws {
        let report = DesiredStateCodec.validate(files: files.map { ($0.0, Array($0.1.utf8)) })
        try #require(report.isValid(strict: false), "\(report.diagnostics.prefix(3))")
        let current = try await store.revisions.current()
        _ = try await store.revisions.publish(DesiredStateCodec.draft(from: report, source: source), expectedCurrent: current?.number)
    }

    /// A user, a team, a project and two queues: everything the reconciler writes.
    static func small(prefix: String) -> [(String, String)] {
        [
            ("people.yaml", """
                apiVersion: launchq/v1
                kind: User
                email: \(prefix)-lead@example.com
                ---
                apiVersion: launchq/v1
                kind: Team
                name: \(prefix)
                admin: \(prefix)-lead@example.com
                ---
                apiVersion: launchq/v1
                kind: Project
                entity: \(prefix)
                name: experiments
                """),
            ("queues/gpu.yaml", """
                apiVersion: launchq/v1
                kind: RunQueue
                entity: \(prefix)
                name: gpu
                resource_type: kubernetes
                resource_config:
                  spec:
                    template:
                      spec:
                        containers:
                          - name: main
                            resources:
                              limits:
                                nvidia.com/gpu: "{{gpus}}"
                template_variables:
                  gpus:
                    description: GPUs per job
                    schema: {type: integer, default: 1, minimum: 1, maximum: 8}
                """),
            ("queues/local.json", """
                {"apiVersion": "launchq/v1", "kind": "RunQueue", "entity": "\(prefix)", "name": "local",
                 "resource_type": "local-container", "resource_config": {"env": ["A=1"]}}
                """),
        ]
    }

    /// `queues` queues in one team, for load.
    static func many(prefix: String, queues: Int) -> [(String, String)] {
        var documents = ["""
            apiVersion: launchq/v1
            kind: Team
            name: \(prefix)
            """]
        for index in 0..<queues {
            documents.append("""
                apiVersion: launchq/v1
                kind: RunQueue
                entity: \(prefix)
                name: q\(index)
                resource_type: local-process
                """)
        }
        return [("many.yaml", documents.joined(separator: "\n---\n"))]
    }
}

extension JSONValue {
    /// The number when this is an integer.
    var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
