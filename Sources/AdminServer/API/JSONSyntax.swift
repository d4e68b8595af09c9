/// Finds where a JSON text stops being JSON (RFC 8259), to say where bad JSON broke. Pure.
enum JSONSyntax {
    /// Where and why parsing failed: a byte offset and the 1-based line and column (columns count bytes).
    struct Failure: Sendable, Equatable {
        var offset: Int
        var line: Int
        var column: Int
        var reason: String
    }

    /// The first syntax error in `bytes`, or `nil` when it is one well-formed JSON value.
    static func firstError(in bytes: [UInt8]) -> Failure? {
        var scanner = Scanner(bytes: bytes)
        do {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.index < bytes.count { throw Stop(reason: "unexpected data after the JSON value") }
            return nil
        } catch let stop as Stop {
            return failure(at: scanner.index, in: bytes, reason: stop.reason)
        } catch {
            return failure(at: scanner.index, in: bytes, reason: "invalid JSON")
        }
    }

    static func failure(at offset: Int, in bytes: [UInt8], reason: String) -> Failure {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Failure(offset: offset, line: line, column: column, reason: reason)
    }

    private struct Stop: Error {
        var reason: String
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ character: Character) throws(Stop) {
            guard current == character.asciiValue else {
                throw Stop(reason: current == nil ? "unexpected end of input, expected '\(character)'" : "expected '\(character)'")
            }
            index += 1
        }

        mutating func value(depth: Int) throws(Stop) {
            guard depth < 512 else { throw Stop(reason: "nested too deeply") }
            guard let byte = current else { throw Stop(reason: "unexpected end of input, expected a value") }
            switch byte {
            case UInt8(ascii: "{"):
                index += 1
                skipSpace()
                if current == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                while true {
                    skipSpace()
                    guard current == UInt8(ascii: "\"") else { throw Stop(reason: "expected a string key") }
                    try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect("}")
                    return
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if current == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect("]")
                    return
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            default:
                throw Stop(reason: "unexpected character, expected a value")
            }
        }

        mutating func literal(_ word: String) throws(Stop) {
            for character in word.utf8 {
                guard current == character else { throw Stop(reason: "invalid literal, expected '\(word)'") }
                index += 1
            }
        }

        mutating func digits() -> Int {
            let start = index
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }

        mutating func number() throws(Stop) {
            if current == UInt8(ascii: "-") { index += 1 }
            if current == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw Stop(reason: "invalid number")
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw Stop(reason: "invalid number: digits expected after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw Stop(reason: "invalid number: digits expected in the exponent") }
            }
        }

        mutating func string() throws(Stop) {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            index += 1
                            guard let hex = current, (hex >= 0x30 && hex <= 0x39) || (hex | 0x20 >= 0x61 && hex | 0x20 <= 0x66) else {
                                throw Stop(reason: "invalid \\u escape")
                            }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(escaped) {
                        throw Stop(reason: "invalid escape in string")
                    }
                    index += 1
                case 0..<0x20:
                    throw Stop(reason: "control character in string")
                default:
                    index += 1
                }
            }
            throw Stop(reason: "unexpected end of input in a string")
        }
    }
}
