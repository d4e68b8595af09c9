import Foundation
import Logging
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that nothing listens on (bound once to get a free number, then closed).
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EBADF) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The `launchq` executable built next to this test bundle, if it was built.
func launchqBinary() -> URL? {
    let bundleDirectory = Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
        bundleDirectory.appendingPathComponent("launchq"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/launchq"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs `launchq` with `arguments`; returns (exit status, stdout, stderr).
func runLaunchq(_ binary: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DATABASE_URL")
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
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
    func launchqMigrateWithAClosedPortSaysWhereAndExitsOne() throws {
        let port = try closedPort()
        let (status, stdout, stderr) = try runLaunchq(
            launchqBinary()!, ["migrate"], environment: ["DATABASE_URL": "postgres://launchq:hunter2@127.0.0.1:\(port)/launchq"])
        #expect(status == 1)
        #expect(stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:\(port): connection refused"), "stderr: \(stderr)")
        #expect(!stderr.contains("hunter2") && !stdout.contains("hunter2"))
        #expect(!stderr.contains("NIO"), "no raw NIO error dumps: \(stderr)")
    }

    @Test(.enabled(if: launchqBinary() != nil, "the launchq executable is not built (swift build)"))
    func launchqMigrateWithoutADatabaseURLExplainsWhatToSet() throws {
        let (status, _, stderr) = try runLaunchq(launchqBinary()!, ["migrate"])
        #expect(status == 1)
        #expect(stderr.contains("DATABASE_URL") && stderr.contains("--database-url"), "stderr: \(stderr)")
    }
}
