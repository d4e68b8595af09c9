import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster in a temporary directory, for `launchq dev` (the recipe of `scripts/with-postgres`).
///
/// `initdb` and the server refuse to run as root, so as root they run as the `postgres` user through `runuser`.
/// The server runs in its own session (`setsid`), so a Ctrl-C in the terminal reaches launchq, which drains the
/// service first and then stops the cluster, rather than the database dying under the draining service.
struct ThrowawayPostgres: Sendable {
    let directory: String
    let port: Int
    let binaries: String
    /// `runuser -u postgres --` when running as root, else empty.
    let runAs: [String]

    var dataDirectory: String { directory + "/data" }
    /// Trust authentication on loopback: no password exists.
    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Creates the directory, runs initdb, and starts the server on a free loopback port (five tries).
    static func start() async throws -> ThrowawayPostgres {
        let binaries = try locateBinaries()
        let directory = try makeDirectory()
        do {
            let runAs = try prepareOwner(directory)
            let initdb = await DevProcess.run(runAs + [
                binaries + "/initdb", "-D", directory + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync",
            ])
            guard initdb.status == 0 else { throw DevError("initdb failed (exit \(initdb.status)):\n\(initdb.output)") }
            let setsid = DevProcess.locate("setsid", in: ["/usr/bin", "/bin"]).map { [$0, "--wait"] } ?? []
            var lastFailure = ""
            for _ in 1...5 {
                let port = try FreePort.find(host: "127.0.0.1")
                let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                let started = await DevProcess.run(setsid + runAs + [
                    binaries + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "30", "-s", "-o", options, "start",
                ])
                if started.status == 0 {
                    return ThrowawayPostgres(directory: directory, port: port, binaries: binaries, runAs: runAs)
                }
                lastFailure = started.output + ((try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "")
            }
            throw DevError("PostgreSQL did not start:\n\(lastFailure)")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Stops the server (fast shutdown) and deletes the directory.
    func stop() {
        _ = DevProcess.runSync(runAs + [binaries + "/pg_ctl", "-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "-s", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `LAUNCHQ_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`, else the folder of `initdb` on `PATH`.
    static func locateBinaries(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit = environment["LAUNCHQ_PG_BIN"], FileManager.default.isExecutableFile(atPath: explicit + "/initdb") {
            return explicit
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = versions.last(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }) {
            return "/usr/lib/postgresql/\(newest)/bin"
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let initdb = DevProcess.locate("initdb", in: path) {
            return (initdb as NSString).deletingLastPathComponent
        }
        throw DevError("PostgreSQL server binaries (initdb, pg_ctl) not found; install them (Debian: apt-get install -y postgresql) "
            + "or set LAUNCHQ_PG_BIN to their folder")
    }

    private static func makeDirectory() throws -> String {
        let base = FileManager.default.temporaryDirectory.standardizedFileURL.path
        var template = Array((base + "/launchq-dev.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw DevError("cannot create a temporary directory under \(base)") }
        return String(cString: made)
    }

    /// As root: hands the directory to the `postgres` user and returns the `runuser` prefix.
    private static func prepareOwner(_ directory: String) throws -> [String] {
        guard getuid() == 0 else { return [] }
        guard let entry = getpwnam("postgres") else {
            throw DevError("running as root, PostgreSQL needs a 'postgres' user: useradd --system --user-group --no-create-home postgres")
        }
        guard chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw DevError("cannot hand \(directory) to the postgres user (errno \(errno))")
        }
        guard let runuser = DevProcess.locate("runuser", in: ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]) else {
            throw DevError("running as root needs runuser (util-linux) to start PostgreSQL as the postgres user")
        }
        return [runuser, "-u", "postgres", "--"]
    }
}

/// Runs a program with an argument list (no shell) and collects its combined output.
enum DevProcess {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String]) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: runSync(arguments)) }
        }
    }

    /// Spawns with `posix_spawn` rather than Foundation's `Process`: `Process` learns that a child ended when a
    /// socket it hands the child closes, and `pg_ctl start` passes that socket on to the daemonised server, so
    /// `waitUntilExit()` would wait for the server to stop. Here the child gets stdin, stdout and stderr
    /// (launchq's own descriptors are close-on-exec: NIO and Foundation open them so).
    static func runSync(_ arguments: [String]) -> Result {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return Result(status: -1, output: "cannot make a pipe (errno \(errno))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // Close-on-exec, so only the dup2'ed copies (stdout, stderr) reach the child.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            return Result(status: -1, output: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count > 0 {
                output += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, output: String(decoding: output, as: UTF8.self))
    }

    static func locate(_ name: String, in directories: [String]) -> String? {
        directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Finding a free TCP port.
enum FreePort {
    /// A port the kernel considers free on `host` (IPv4) right now.
    static func find(host: String) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DevError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = try ipv4(host: host, port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw DevError("cannot bind \(host) to find a free port (errno \(errno))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw DevError("cannot read the free port (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func ipv4(host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        let text = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else {
            throw DevError("'\(host)' is not an IPv4 address; launchq dev listens on IPv4 addresses such as 127.0.0.1")
        }
        return address
    }
}
