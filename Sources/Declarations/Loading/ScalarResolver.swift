/// Turns plain YAML scalars into typed values with the YAML 1.2 core schema.
///
/// Unlike YAML 1.1, `yes`, `no`, `on` and `off` stay strings, so `country: NO` means "NO".
enum ScalarResolver {
    static func resolve(_ text: String) -> Node.Value {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if text == "true" || text == "True" || text == "TRUE" { return .bool(true) }
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if text == "false" || text == "False" || text == "FALSE" { return .bool(false) }
        case UInt8(ascii: "."):
            switch text {
            case ".inf", ".Inf", ".INF": return .number(.infinity)
            case ".nan", ".NaN", ".NAN": return .number(.nan)
            default: break
            }
        case UInt8(ascii: "-"), UInt8(ascii: "+"):
            if text == "-.inf" || text == "-.Inf" || text == "-.INF" { return .number(-.infinity) }
            if text == "+.inf" || text == "+.Inf" || text == "+.INF" { return .number(.infinity) }
        default: break
        }
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        return number(text) ?? .string(text)
    }

    private static func number(_ text: String) -> Node.Value? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "x"), let value = Int(text.dropFirst(2), radix: 16) { return .integer(value) }
            if bytes[1] == UInt8(ascii: "o"), let value = Int(text.dropFirst(2), radix: 8) { return .integer(value) }
        }
        var index = 0
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        var isInteger = true
        while index < bytes.count, isDigit(bytes[index]) { index += 1; digits += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while index < bytes.count, isDigit(bytes[index]) { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        let body = bytes[0] == UInt8(ascii: "+") ? String(text.dropFirst()) : text
        if isInteger, let value = Int(body) { return .integer(value) }
        return Double(body).map(Node.Value.number)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
