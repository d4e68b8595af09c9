import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that refuses connections for as long as the test process runs.
///
/// A socket is bound to port 0 (the kernel picks a free port) and never listens: connecting gets "connection
/// refused", and because the socket stays bound no other test or process can take the port meanwhile (closing it
/// and hoping it stays free would race with parallel tests).
public enum RefusingPort {
    /// A new such port on 127.0.0.1.
    public static func make() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        // Deliberately left open (not listening) until the process exits.
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
