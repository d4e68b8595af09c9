import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `launchq dev` end to end: the built binary starts PostgreSQL, the sandbox and the service, prints "ready",
/// serves the examples, and on SIGINT stops everything and deletes its temporary cluster.
@Suite("launchq dev", .serialized)
struct DevCommandTests {
    static var isCI: Bool { Repository.isCI }
    static var hasPostgres: Bool { TestDatabase.hasServerBinaries }

    @Test(
        "starts, prints ready with URLs and a token, serves and reconciles the examples, and cleans up on SIGINT",
        .enabled(if: hasPostgres || isCI, "needs the PostgreSQL server binaries (apt-get install -y postgresql)"),
        .timeLimit(.minutes(3)))
    func smoke() async throws {
        try #require(Self.hasPostgres, "CI=true but the PostgreSQL server binaries are missing")
        try #require(FileManager.default.isExecutableFile(atPath: LaunchqBinary.path), "no launchq binary at \(LaunchqBinary.path): swift build --build-tests")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: LaunchqBinary.path)
        process.arguments = ["dev", "--listen", "127.0.0.1:0", "--interval", "1h"]
        process.currentDirectoryURL = Repository.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let text = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Wait for the banner (it is printed once the admin port is bound).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(90)
        while clock.now < deadline, !text.withLock({ $0.contains("Ctrl-C stops everything") }), process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        let banner = text.withLock { $0 }
        #expect(banner.contains("launchq dev is ready"), "no ready line; output so far:\n\(banner)")
        let statusURL = try #require(Self.field(banner, after: "status page"), "\(banner)")
        let base = try #require(statusURL.components(separatedBy: "/?token=").first)
        let token = try #require(statusURL.components(separatedBy: "/?token=").last)
        #expect(token.hasPrefix("lq_"))
        let sandboxURL = try #require(Self.field(banner, after: "W&B sandbox"))
        let dataDirectory = try #require(banner.range(of: "(data in ").map { banner[$0.upperBound...].prefix { $0 != "," } })
        #expect(FileManager.default.fileExists(atPath: String(dataDirectory) + "/data/PG_VERSION"))

        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            #expect(try await Self.get(http, base + "/healthz").status == 200)
            #expect(try await Self.get(http, base + "/readyz").status == 200)
            #expect(try await Self.get(http, base + "/v1/objects").status == 401)
            // The sandbox answers GraphQL (it needs a key: 401 without one shows it is the sandbox, not nothing).
            #expect(try await Self.post(http, sandboxURL + "/graphql").status == 401)
            // The start-up reconcile applies examples/: 13 objects, eventually all ready.
            var objects = ""
            let reconciled = clock.now + .seconds(60)
            while clock.now < reconciled {
                let answer = try await Self.get(http, base + "/v1/objects", token: token)
                #expect(answer.status == 200)
                objects = answer.body
                if objects.components(separatedBy: "\"state\":\"ready\"").count - 1 >= 13 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(objects.components(separatedBy: "\"state\":\"ready\"").count - 1 >= 13, "\(objects)")
            #expect(objects.contains("workstation-docker"))
            // The status page, for a viewer: the examples' queues, all ready, and revision 1 from the directory.
            let page = try await Self.get(http, base + "/", token: token)
            #expect(page.status == 200)
            #expect(page.body.contains("<h1>launchq</h1>") && page.body.contains("workstation-docker"))
            #expect(page.body.contains("<dt>Revision</dt><dd>1</dd>"))
            #expect(!page.body.contains("state-failed\">failed</span></td>"))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()

        // Ctrl-C: drains, stops the sandbox and PostgreSQL, removes the directory, exits 0.
        kill(process.processIdentifier, SIGINT)
        let stopped = clock.now + .seconds(60)
        while process.isRunning, clock.now < stopped { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "launchq dev did not stop within 60 s of SIGINT")
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: String(dataDirectory)), "\(dataDirectory) was left behind")
        let port = try #require(Self.field(banner, after: "PostgreSQL").flatMap { $0.split(separator: ":").last?.split(separator: "/").first })
        #expect(!Self.isListening(port: Int(port) ?? 0), "PostgreSQL still listens on \(port)")
    }

    /// The first whitespace-separated word after `label` on its line.
    static func field(_ text: String, after label: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(label) else { continue }
            return trimmed.dropFirst(label.count).split(separator: " ").first.map(String.init)
        }
        return nil
    }

    static func get(_ http: HTTPClient, _ url: String, token: String? = nil) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (response.status.code, String(buffer: body))
    }

    static func post(_ http: HTTPClient, _ url: String) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"query":"{ viewer { username } }"}"#))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: body))
    }

    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
