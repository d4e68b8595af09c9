/// Where and why a text is not JSON: a byte offset, the 1-based line and column (columns count bytes), and a
/// reason for people.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable code of every JSON syntax error.
    public static let code = "invalid_json"

    /// Bytes read before the error (0-based).
    public var offset: Int
    /// 1-based line of the error.
    public var line: Int
    /// 1-based column of the error, in bytes.
    public var column: Int
    /// What was wrong, for example `expected ',' or '}'`.
    public var reason: String

    public init(offset: Int, line: Int, column: Int, reason: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The error at `offset` of `bytes`, with its line and column counted.
    init(at offset: Int, in bytes: [UInt8], reason: String) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        self.init(offset: offset, line: line, column: offset - lineStart + 1, reason: reason)
    }

    public var description: String { "invalid JSON at line \(line), column \(column) (byte \(offset)): \(reason)" }
}
