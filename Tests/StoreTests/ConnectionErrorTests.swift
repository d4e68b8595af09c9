import Foundation
import Logging
import Store
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that refuses connections (TestSupport's ``RefusingPort``: bound, never listening).
func closedPort() throws -> Int { try RefusingPort.make() }

/// The built `launchq` executable (TestSupport's ``LaunchqBinary``), if it was built.
func launchqBinary() -> URL? { LaunchqBinary.exists ? URL(fileURLWithPath: LaunchqBinary.path) : nil }

/// Runs `launchq` with `arguments`; returns (exit status, stdout, stderr). Waits off the Swift concurrency threads
/// (TestSupport's ``ChildProcess``), so parallel tests keep running meanwhile.
func runLaunchq(_ binary: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String, String) {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DATABASE_URL")
    env.merge(environment) { $1 }
    let result = try await ChildProcess.run(binary.path, arguments: arguments, environment: env, timeout: .seconds(120))
    return (result.status, result.output, result.errors)
}

@Suite("Connection errors")
struct ConnectionErrorTests {
    @Test func aClosedPortGivesAClearErrorNamingHostAndPort() async throws {
        let port = try closedPort()
        let config = try DatabaseConfiguration(url: "postgres://launchq:hunter2@127.0.0.1:\(port)/launchq?sslmode=disable")
        let started = ContinuousClock.now
        let error = await storeError {
            try await PostgresStore.withStore(config, logger: Logger(label: "test")) { store in
                _ = try await store.migrator.migrate()
            }
        }
        #expect(error?.code == .unreachable)
        #expect(error?.message == "cannot connect to PostgreSQL at 127.0.0.1:\(port): connection refused")
        #expect(error?.message.contains("hunter2") == false)
        #expect(ContinuousClock.now - started < .seconds(5), "must fail fast, not wait for pool retries")
    }

    @Test func readinessOfAnUnreachableDatabaseIsUnavailableWithinTheTimeout() async throws {
        let port = try closedPort()
        let store = try PostgresStore(
            configuration: try DatabaseConfiguration(url: "postgres://launchq:hunter2@127.0.0.1:\(port)/launchq?sslmode=disable"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let readiness = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await store.run() }
            defer { group.cancelAll() }
            return await store.readiness(timeout: .milliseconds(500))
        }
        guard case .unavailable(let error) = readiness else {
            Issue.record("expected unavailable, got \(readiness)")
            return
        }
        #expect(error.code == .unreachable)
        #expect(error.message.contains("127.0.0.1:\(port)") && !error.message.contains("hunter2"))
    }

    @Test(.enabled(if: launchqBinary() != nil, "the launchq executable is not built (swift build)"))
    func launchqMigrateWithAClosedPortSaysWhereAndExitsOne() async throws {
        let port = try closedPort()
        let (status, stdout, stderr) = try await runLaunchq(
            launchqBinary()!, ["migrate"], environment: ["DATABASE_URL": "postgres://launchq:hunter2@127.0.0.1:\(port)/launchq"])
        #expect(status == 1)
        #expect(stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:\(port): connection refused"), "stderr: \(stderr)")
        #expect(!stderr.contains("hunter2") && !stdout.contains("hunter2"))
        #expect(!stderr.contains("NIO"), "no raw NIO error dumps: \(stderr)")
    }

    @Test(.enabled(if: launchqBinary() != nil, "the launchq executable is not built (swift build)"))
    func launchqMigrateWithoutADatabaseURLExplainsWhatToSet() async throws {
        let (status, _, stderr) = try await runLaunchq(launchqBinary()!, ["migrate"])
        #expect(status == 1)
        #expect(stderr.contains("DATABASE_URL") && stderr.contains("--database-url"), "stderr: \(stderr)")
    }
}
