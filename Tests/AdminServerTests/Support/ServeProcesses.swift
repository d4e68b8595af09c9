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
///
/// It listens on `127.0.0.1:0`: the kernel picks a free port and serve prints it ("launchq serve listening on
/// http://127.0.0.1:PORT"), so parallel tests never race for a port.
struct ServeProcess {
    let name: String
    let process: ChildProcess

    /// The port serve printed it listens on; 0 until it has (``waitUntilUp(timeout:)`` waits for it).
    var port: Int { Self.printedPort(process.outputSoFar) ?? 0 }

    /// Starts `launchq serve` against `database` and the sandbox at `wandbURL` with `apiKey` in the environment.
    static func start(
        name: String, database: DatabaseConfiguration, wandbURL: String, apiKey: String, extra: [String] = []
    ) throws -> ServeProcess {
        let binary = try LaunchqBinary.require()
        var environment = Repository.environment.filter {
            !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL"
        }
        environment["DATABASE_URL"] = TestDatabase.url(of: database)
        environment["WANDB_BASE_URL"] = wandbURL
        environment["WANDB_API_KEY"] = apiKey
        let arguments = ["serve", "--listen", "127.0.0.1:0", "--replica-id", name] + extra
        return ServeProcess(name: name, process: try ChildProcess(binary, arguments: arguments, environment: environment))
    }

    /// The line `launchq serve` prints once its port accepts connections.
    static let listeningLine = "launchq serve listening on http://"

    /// Waits for serve's "listening on" line and returns the port in it.
    static func listeningPort(of process: ChildProcess, timeout: Duration = .seconds(60)) async throws -> Int {
        let line = try await process.waitForOutputLine(startingWith: listeningLine, timeout: timeout)
        return try #require(printedPort(line), "no port in '\(line)'")
    }

    /// The port of the "listening on http://HOST:PORT" line in `output`.
    static func printedPort(_ output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(listeningLine) }) else { return nil }
        let address = line.dropFirst(listeningLine.count).prefix { $0 != " " }
        return address.split(separator: ":").last.flatMap { Int($0) }
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

    /// Waits until serve has printed its port and `/healthz` answers.
    func waitUntilUp(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        do {
            _ = try await Self.listeningPort(of: process, timeout: timeout)
        } catch {
            let result = await process.finish(timeout: .seconds(5))
            Issue.record("launchq serve \(name) did not start:\n\(result.both)")
            throw error
        }
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
