import JSON
import TestSupport
import AdminServer
import AsyncHTTPClient
import Declarations
import Foundation
import NIOCore
import NIOHTTP1
import Store
import Testing

/// `launchq serve` as a child process (the built binary), with helpers to talk to its API.
struct ServeProcess {
    let name: String
    let port: Int
    let process: ChildProcess

    static var binary: String {
        TestDatabase.environment["LAUNCHQ_BINARY"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/launchq").path
    }

    /// A port nobody listens on right now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound, "could not find a free port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `launchq serve` against `database` and the sandbox at `wandbURL` with `apiKey` in the environment.
    static func start(
        name: String, database: DatabaseConfiguration, wandbURL: String, apiKey: String, extra: [String] = []
    ) throws -> ServeProcess {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no launchq binary at \(binary): run swift build --build-tests")
        let port = try freePort()
        var environment = TestDatabase.environment.filter {
            !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL"
        }
        environment["DATABASE_URL"] = url(database)
        environment["WANDB_BASE_URL"] = wandbURL
        environment["WANDB_API_KEY"] = apiKey
        let arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--replica-id", name] + extra
        return ServeProcess(name: name, port: port, process: try ChildProcess(binary, arguments: arguments, environment: environment))
    }

    static func url(_ database: DatabaseConfiguration) -> String {
        let password = database.password.map { ":\($0)" } ?? ""
        return "postgres://\(database.username)\(password)@\(database.host):\(database.port)/\(database.database)?sslmode=disable"
    }

    /// GET `path` with a bearer token; `nil` when the process does not answer.
    func get(_ path: String, token: String) async -> (Int, JSONValue?)? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            let json = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
            return (Int(response.status.code), json)
        } catch {
            return nil
        }
    }

    /// The scheduler status (`leader`, `running`, ...), or `nil` when not answering.
    func status(token: String) async -> JSONValue? {
        guard let (code, json) = await get("/v1/status", token: token), code == 200 else { return nil }
        return json
    }

    /// Waits until `/healthz` answers.
    func waitUntilUp(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while await get("/healthz", token: "") == nil {
            if !process.isRunning {
                let result = await process.finish(timeout: .seconds(5))
                Issue.record("launchq serve \(name) exited early:\n\(result.both)")
                throw CancellationError()
            }
            try #require(ContinuousClock.now < deadline, "launchq serve \(name) did not start")
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
