import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program with an argument list (no shell) and collects its combined output.
enum ClusterProcess {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// ``runSync(_:)`` on a thread of its own, outside the Swift concurrency pool (and outside Dispatch's global
    /// queue, which on Linux runs only a few items at once and is shared with everything else in the process).
    static func run(_ arguments: [String]) async -> Result {
        await offPool { runSync(arguments) }
    }

    /// Runs blocking `work` on a new thread and returns its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// Spawns with `posix_spawn` rather than Foundation's `Process`: `Process` learns that a child ended when a
    /// socket it hands the child closes, and `pg_ctl start` passes that socket on to the daemonised server, so
    /// `waitUntilExit()` would wait for the server to stop. Here the child gets stdin, stdout and stderr
    /// (the caller's own descriptors are close-on-exec: NIO and Foundation open them so).
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

/// Choosing a loopback port for a cluster.
///
/// PostgreSQL cannot listen on port 0 and report the port, so the cluster picks one, and ``ThrowawayPostgres/start(_:)``
/// tries another when the server cannot bind it. The port is taken below the kernel's ephemeral range
/// (`/proc/sys/net/ipv4/ip_local_port_range`, 32768 and up by default): ports the kernel hands out (to `bind` on
/// port 0 and to every outgoing connection of parallel tests) never come from there, so a cluster stopped and
/// restarted on its port (``ThrowawayPostgres/restart()``) finds it free again.
enum FreePort {
    /// A port that is free on 127.0.0.1 now, below the ephemeral range.
    static func find() throws -> Int {
        let low = 20_000
        let high = ephemeralRangeStart() - 1
        if high > low {
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<50 {
                let port = Int.random(in: low...high, using: &generator)
                if canBind(port) { return port }
            }
        }
        return try kernelAssigned()
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32768
    }

    /// Whether `port` can be bound on 127.0.0.1 now (the socket is closed again at once).
    static func canBind(_ port: Int) -> Bool {
        (try? bindAndClose(port)) != nil
    }

    /// A port the kernel assigns (from the ephemeral range): the fallback.
    static func kernelAssigned() throws -> Int {
        try bindAndClose(0)
    }

    /// Binds a TCP socket to 127.0.0.1:`port`, returns the bound port and closes the socket.
    private static func bindAndClose(_ port: Int) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ThrowawayPostgresError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard found else { throw ThrowawayPostgresError("cannot bind 127.0.0.1:\(port) (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
