/// A cheap guard run before the GraphQL parser (which recurses once per nesting level): the deepest nesting
/// of `{`, `[` and `(` outside strings and comments.
enum QueryDepth {
    /// Deeper documents are refused; the SDK's deepest is 6.
    static let limit = 64

    static func maximum(in query: String) -> Int {
        var depth = 0
        var deepest = 0
        var bytes = Array(query.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "#"):
                while let next = bytes.first, next != UInt8(ascii: "\n") { bytes.removeFirst() }
            case UInt8(ascii: "\""):
                if bytes.starts(with: [UInt8(ascii: "\""), UInt8(ascii: "\"")]) {
                    bytes.removeFirst(2)
                    // Block string: up to the next unescaped """.
                    let tripleQuote: [UInt8] = [0x22, 0x22, 0x22]
                    let escapedTripleQuote: [UInt8] = [0x5C, 0x22, 0x22, 0x22]
                    while !bytes.isEmpty, !bytes.starts(with: tripleQuote) {
                        if bytes.starts(with: escapedTripleQuote) { bytes.removeFirst(4) } else { bytes.removeFirst() }
                    }
                    bytes = bytes.dropFirst(3)
                } else {
                    while let next = bytes.popFirst(), next != UInt8(ascii: "\""), next != UInt8(ascii: "\n") {
                        if next == UInt8(ascii: "\\") { _ = bytes.popFirst() }
                    }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"):
                depth -= 1
            default:
                break
            }
        }
        return deepest
    }
}
