import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client over a socket: it sends exactly the bytes it is given (paths with `..`, bodies that
/// are not UTF-8, huge headers), so nothing on the way normalises the hostile input, and it keeps every byte of
/// the answer (the secrets test greps them).
struct HostileHTTP: Sendable {
    struct Answer: Sendable, CustomStringConvertible {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        /// The raw bytes on the wire (status line, headers, body).
        var raw: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var json: FaultsJSON? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) as? [String: Any] }
        var description: String { "\(status) \(text.prefix(600))" }
        /// `{"error": {"code": ..., "message": ...}}`: the code, when the body is that shape.
        var errorCode: String? {
            guard let error = json?["error"] as? [String: Any], error["message"] is String else { return nil }
            return error["code"] as? String
        }
    }

    let port: Int
    var timeout: TimeInterval = 30

    /// Sends `method path` with `headers` and `body` (Content-Length added when there is a body) and reads to EOF.
    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, token: String? = nil
    ) async throws -> Answer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try await sendRaw(Array(head.utf8) + (body ?? []))
    }

    /// POSTs JSON `value` (serialised by Foundation).
    func postJSON(_ path: String, _ value: Any, token: String?, headers: [(String, String)] = []) async throws -> Answer {
        let body = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return try await send("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(body), token: token)
    }

    /// Sends `bytes` as they are and reads the answer to EOF.
    func sendRaw(_ bytes: [UInt8]) async throws -> Answer {
        let port = self.port
        let timeout = self.timeout
        // A thread of its own (ChildProcess.offPool): Dispatch's global queue runs few items at once on Linux.
        let started = Date()
        let result: Result<Answer, any Error> = await ChildProcess.offPool {
            Result {
                do {
                    return try Self.exchange(bytes, port: port, timeout: timeout)
                } catch let failure as Failure {
                    let line = String(decoding: bytes.prefix(while: { $0 != 13 }).prefix(200), as: UTF8.self)
                    throw Failure(description: "\(line): \(failure) after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
                }
            }
        }
        return try result.get()
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    private static func exchange(_ bytes: [UInt8], port: Int, timeout: TimeInterval) throws -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port) (errno \(errno))") }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // The server may answer (413, 431) and close before reading everything: read what it said.
            if count <= 0 { break }
            sent += count
        }
        shutdown(fd, Int32(SHUT_WR))
        var raw: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { raw += buffer[0..<count] } else if count < 0 && errno == EINTR { continue } else { break }
        }
        return try parse(raw)
    }

    static func parse(_ raw: [UInt8]) throws -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            throw Failure(description: "no HTTP answer (\(raw.count) bytes: \(String(decoding: raw.prefix(200), as: UTF8.self)))")
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line \(lines[0])") }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return Answer(status: status, headers: headers, body: body, raw: raw)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            output += bytes[start..<min(start + size, bytes.count)]
            index = start + size + 2
        }
        return output
    }
}

typealias FaultsJSON = [String: Any]
