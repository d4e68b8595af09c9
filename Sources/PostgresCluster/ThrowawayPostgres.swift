import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster in a temporary directory, for `launchq dev` and for the tests: the one cluster a test
/// process starts when no `DATABASE_URL` is given, and clusters of their own for tests that stop and restart the
/// database under a running service. Not part of the production store: this target depends on nothing.
///
/// ```swift
/// let cluster = try await ThrowawayPostgres.start()
/// defer { cluster.stop() }                      // stops the server and deletes the directory
/// let database = try DatabaseConfiguration(url: cluster.url)
/// try await cluster.stopServer()                // the database goes away, its data stays
/// try await cluster.restart()                   // back on the same port with the same data
/// ```
///
/// `initdb` and the server refuse to run as root, so as root they run as the `postgres` user through `runuser`.
/// The server runs in its own session (`setsid`), so a Ctrl-C in a terminal reaches the caller, which can drain
/// what uses the database before stopping the cluster. Authentication is `trust` on 127.0.0.1 only; durability
/// is switched off (`fsync=off`): this cluster is for throwaway data.
public struct ThrowawayPostgres: Sendable {
    /// How the cluster is made.
    public struct Configuration: Sendable {
        /// The temporary directory's name starts with this. Default `launchq-pg`.
        public var directoryPrefix = "launchq-pg"
        /// The server binaries' folder; `nil` finds them (see ``locateBinaries(environment:)``).
        public var binaries: String?
        /// Free ports tried before giving up. Default 5.
        public var portAttempts = 5
        /// Passed to the server as `max_connections`. Default 200.
        public var maximumConnections = 200

        public init() {}
    }

    /// The temporary directory: `data/` (the cluster), `server.log`, the Unix socket.
    public let directory: String
    /// The loopback port the server listens on; the same after ``restart()``.
    public let port: Int
    /// The folder holding `initdb`, `pg_ctl` and `postgres`.
    public let binaries: String
    /// `runuser -u postgres --` when running as root, else empty.
    let runAs: [String]
    let maximumConnections: Int

    /// The cluster's data directory.
    public var dataDirectory: String { directory + "/data" }
    /// `postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable` (trust authentication: there is no password).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Creates the directory, runs `initdb`, and starts the server on a free loopback port.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> ThrowawayPostgres {
        let binaries = try configuration.binaries ?? locateBinaries()
        let directory = try makeDirectory(prefix: configuration.directoryPrefix)
        do {
            let runAs = try prepareOwner(directory)
            let initdb = await ClusterProcess.run(runAs + [
                binaries + "/initdb", "-D", directory + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync",
            ])
            guard initdb.status == 0 else { throw ThrowawayPostgresError("initdb failed (exit \(initdb.status)):\n\(initdb.output)") }
            var lastFailure = ""
            for _ in 1...max(1, configuration.portAttempts) {
                let cluster = ThrowawayPostgres(
                    directory: directory, port: try FreePort.find(), binaries: binaries, runAs: runAs,
                    maximumConnections: configuration.maximumConnections)
                let started = await cluster.startServer()
                if started.status == 0 { return cluster }
                lastFailure = started.output + cluster.serverLog()
            }
            throw ThrowawayPostgresError("PostgreSQL did not start:\n\(lastFailure)")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Stops the server (fast shutdown: open connections are closed) and keeps the data directory.
    public func stopServer() async throws {
        let stopped = await ClusterProcess.run(runAs + [binaries + "/pg_ctl", "-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "-s", "stop"])
        guard stopped.status == 0 else { throw ThrowawayPostgresError("pg_ctl stop failed (exit \(stopped.status)):\n\(stopped.output)") }
    }

    /// Starts the server again on the same port with the same data (stopping it first when it runs).
    public func restart() async throws {
        if await isRunning() { try await stopServer() }
        let started = await startServer()
        guard started.status == 0 else {
            throw ThrowawayPostgresError("PostgreSQL did not restart on port \(port):\n\(started.output)\(serverLog())")
        }
    }

    /// Whether the server runs (`pg_ctl status`).
    public func isRunning() async -> Bool {
        await ClusterProcess.run(runAs + [binaries + "/pg_ctl", "-D", dataDirectory, "-s", "status"]).status == 0
    }

    /// ``stop()`` on a thread of its own: from async code, so no Swift concurrency thread waits for `pg_ctl`.
    public func stopAndRemove() async {
        await ClusterProcess.offPool { stop() }
    }

    /// Stops the server (fast shutdown) and deletes the directory, blocking the calling thread meanwhile (for exit
    /// handlers and synchronous code; async code calls ``stopAndRemove()``). Safe to call twice.
    public func stop() {
        if FileManager.default.fileExists(atPath: dataDirectory) {
            _ = ClusterProcess.runSync(runAs + [binaries + "/pg_ctl", "-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "-s", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The server's log so far (empty when unreadable).
    public func serverLog() -> String {
        (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    }

    private func startServer() async -> ClusterProcess.Result {
        let setsid = ClusterProcess.locate("setsid", in: ["/usr/bin", "/bin"]).map { [$0, "--wait"] } ?? []
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=\(maximumConnections)"
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return await ClusterProcess.run(setsid + runAs + [
            binaries + "/pg_ctl", "-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "30", "-s", "-o", options, "start",
        ])
    }

    /// `LAUNCHQ_PG_BIN` (or `PG_BIN`, as `scripts/with-postgres`), else the newest `/usr/lib/postgresql/*/bin`,
    /// else the folder of `initdb` on `PATH`.
    public static func locateBinaries(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        for name in ["LAUNCHQ_PG_BIN", "PG_BIN"] {
            if let explicit = environment[name], FileManager.default.isExecutableFile(atPath: explicit + "/initdb") { return explicit }
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = versions.last(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }) {
            return "/usr/lib/postgresql/\(newest)/bin"
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let initdb = ClusterProcess.locate("initdb", in: path) {
            return (initdb as NSString).deletingLastPathComponent
        }
        throw ThrowawayPostgresError("PostgreSQL server binaries (initdb, pg_ctl) not found; install them (Debian: apt-get install -y postgresql) "
            + "or set LAUNCHQ_PG_BIN to their folder")
    }

    private static func makeDirectory(prefix: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.standardizedFileURL.path
        var template = Array((base + "/\(prefix).XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ThrowawayPostgresError("cannot create a temporary directory under \(base)") }
        return String(cString: made)
    }

    /// As root: hands the directory to the `postgres` user and returns the `runuser` prefix.
    private static func prepareOwner(_ directory: String) throws -> [String] {
        guard getuid() == 0 else { return [] }
        guard let entry = getpwnam("postgres") else {
            throw ThrowawayPostgresError("running as root, PostgreSQL needs a 'postgres' user: useradd --system --user-group --no-create-home postgres")
        }
        guard chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw ThrowawayPostgresError("cannot hand \(directory) to the postgres user (errno \(errno))")
        }
        guard let runuser = ClusterProcess.locate("runuser", in: ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]) else {
            throw ThrowawayPostgresError("running as root needs runuser (util-linux) to start PostgreSQL as the postgres user")
        }
        return [runuser, "-u", "postgres", "--"]
    }
}

/// Why a throwaway cluster could not be made, started or stopped; the message says what to do.
public struct ThrowawayPostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the tool's output.
    public var message: String
    public var description: String { message }
    init(_ message: String) { self.message = message }
}
