/// A small JSON parser that keeps positions, reports duplicate keys and enforces ``ParseLimits``.
///
/// JSON files are not handed to the YAML parser: YAML 1.1 parsers reject tabs that JSON allows.
struct JSONComposer {
    var file: String
    var limits: ParseLimits
    private(set) var diagnostics: [Diagnostic] = []

    private var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(file: String, limits: ParseLimits) {
        self.file = file
        self.limits = limits
    }

    /// Parses one JSON document (an empty file has none).
    mutating func compose(_ buffer: UnsafeBufferPointer<UInt8>) throws(LoadError) -> [Node] {
        bytes = buffer
        index = 0
        line = 1
        lineStart = 0
        columnMark = (0, 1)
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3; lineStart = 3 }
        skipWhitespace()
        if index == bytes.count { return [] }
        let node = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected text after the JSON value") }
        return [node]
    }

    /// The last column computed, so long single-line files cost O(n) in all, not O(n²).
    private var columnMark = (position: 0, column: 1)

    private var here: SourceLocation {
        mutating get {
            if columnMark.position < lineStart || columnMark.position > index { columnMark = (lineStart, 1) }
            while columnMark.position < index {
                if bytes[columnMark.position] & 0xC0 != 0x80 { columnMark.column += 1 }
                columnMark.position += 1
            }
            return SourceLocation(file: file, line: line, column: columnMark.column)
        }
    }

    private mutating func error(_ message: String) -> LoadError { LoadError(.jsonSyntax, message, at: here) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "\n"): index += 1; line += 1; lineStart = index
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(LoadError) -> Node {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = here
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < limits.maxDepth else { throw LoadError(.limitDepth, "nesting deeper than \(limits.maxDepth) levels; refused", at: start) }
            return try object(depth: depth + 1, start: start)
        case UInt8(ascii: "["):
            guard depth < limits.maxDepth else { throw LoadError(.limitDepth, "nesting deeper than \(limits.maxDepth) levels; refused", at: start) }
            index += 1
            var items: [Node] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return Node(.sequence(items), at: start) }
            while true {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of input inside a list") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return Node(.sequence(items), at: start) }
                throw error("expected , or ] in a list")
            }
        case UInt8(ascii: "\""):
            return Node(.string(try string()), at: start)
        case UInt8(ascii: "t"): try literal("true"); return Node(.bool(true), at: start)
        case UInt8(ascii: "f"): try literal("false"); return Node(.bool(false), at: start)
        case UInt8(ascii: "n"): try literal("null"); return Node(.null, at: start)
        default:
            return Node(try number(), at: start)
        }
    }

    private mutating func object(depth: Int, start: SourceLocation) throws(LoadError) -> Node {
        index += 1
        var entries: [Node.Entry] = []
        var seen: [String: SourceLocation] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return Node(.mapping(entries), at: start) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
            let keyLocation = here
            let key = try string()
            if let first = seen[key] {
                diagnostics.append(Diagnostic(
                    .error, .yamlDuplicateKey, "duplicate key \"\(key)\" in one object (first at line \(first.line), column \(first.column))",
                    at: keyLocation))
            } else {
                seen[key] = keyLocation
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected : after an object key") }
            index += 1
            entries.append(Node.Entry(key: key, keyLocation: keyLocation, value: try value(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return Node(.mapping(entries), at: start) }
            throw error("expected , or } in an object")
        }
    }

    private mutating func literal(_ word: StaticString) throws(LoadError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw error("unexpected character, expected a JSON value")
        }
        index += count
    }

    private mutating func number() throws(LoadError) -> Node.Value {
        let begin = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw error("unexpected character, expected a JSON value") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fraction = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > fraction else { throw error("expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > exponent else { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<index]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        guard let value = Double(text) else { throw error("number \(text) is not valid") }
        return .number(value)
    }

    private mutating func string() throws(LoadError) -> String {
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unexpected end of input in a string") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                        bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape (lone surrogate)") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid escape in a string")
                }
            case 0x00..<0x20:
                throw error(byte == 0x0A ? "unterminated string" : "control character in a string must be escaped")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(LoadError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(bytes[index]) else { throw error("invalid hex digit in \\u escape") }
            code = code << 4 | digit
            index += 1
        }
        return code
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
