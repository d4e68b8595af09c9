import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// `launchq dev` (the built binary) starts, reconciles the examples once and stops without one warning in its log:
/// the store's pool is running before anything leases a connection from it (PostgresNIO warns otherwise).
@Suite("launchq dev clean start", .serialized)
struct DevCleanStartTests {
    @Test(
        "a clean start, first reconcile and stop log no warning, as JSON lines",
        .enabled(if: TestDatabase.hasServerBinaries || Repository.isCI, "needs the PostgreSQL server binaries (apt-get install -y postgresql)"),
        .timeLimit(.minutes(3)))
    func noWarnings() async throws {
        try #require(TestDatabase.hasServerBinaries, "CI=true but the PostgreSQL server binaries are missing")
        let environment = Repository.environment.filter { !$0.key.hasPrefix("WANDB_") && !$0.key.hasPrefix("LAUNCHQ_") && $0.key != "DATABASE_URL" }
        let process = try ChildProcess(
            try LaunchqBinary.require(), arguments: ["dev", "--listen", "127.0.0.1:0", "--interval", "1h", "--log-format", "json"],
            environment: environment, workingDirectory: Repository.root.path)
        let statusLine: String
        do {
            statusLine = try await process.waitForOutputLine(startingWith: "  status page", timeout: .seconds(120))
        } catch {
            process.kill()
            Issue.record("launchq dev did not start: \(await process.finish(timeout: .seconds(10)).both.suffix(3000))")
            return
        }
        let url = try #require(statusLine.split(separator: " ").last.map(String.init))
        let parts = url.components(separatedBy: "/?token=")
        let (base, token) = (parts[0], parts[1])

        // Wait for the first reconcile of the examples to end (it starts with the lease).
        let deadline = ContinuousClock.now + .seconds(90)
        var lastRun: JSONValue?
        while lastRun == nil || lastRun?.isNull == true {
            var request = HTTPClientRequest(url: base + "/v1/status")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)),
                let body = try? await response.body.collect(upTo: 1 << 20)
            {
                lastRun = (try? JSONValue(parsing: String(buffer: body)))?["lastRun"]
            }
            if lastRun == nil || lastRun?.isNull == true {
                guard ContinuousClock.now < deadline, process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(lastRun?.isNull == false, "no reconcile finished within 90 s")

        process.terminate()
        let result = await process.finish(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.both.suffix(3000))")
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        for line in lines {
            let record = try? JSONValue(parsing: line)
            #expect(record?["level"]?.string != nil, "not a JSON log line: \(line)")
            #expect(!["warning", "error", "critical"].contains(record?["level"]?.string ?? ""), "a warning on a clean start: \(line)")
        }
        #expect(!result.errors.contains("hasn't been called yet"), "\(result.errors.suffix(3000))")
        #expect(!result.errors.contains(token), "the admin token is in the log")
    }
}
