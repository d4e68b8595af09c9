import Foundation

/// The naming rules of W&B objects.
enum NameRules {
    /// Queue names: 1..64 characters.
    static func checkQueueName(_ name: String, node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        if name.isEmpty || name.count > 64 {
            sink.error(.nameQueue, "queue name must be 1 to 64 characters (has \(name.count))", at: node.location, path: path)
        } else if let control = firstControlCharacter(name) {
            // PostgreSQL text cannot hold U+0000, and a tab or newline in a name only makes it unreadable.
            sink.error(
                .nameQueue, "queue name must not contain control characters (has U+\(String(format: "%04X", control.value)))",
                at: node.location, path: path)
        }
    }

    /// Entity, team and project names: `[A-Za-z0-9_.-]`, 1..128.
    static func checkEntityName(_ name: String, what: String, node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        let valid = !name.isEmpty && name.utf8.count <= 128 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        if !valid {
            sink.error(
                .nameEntity, "\(what) \"\(name)\" must be 1 to 128 of the characters A-Z a-z 0-9 _ . -", at: node.location, path: path)
        }
    }

    /// Emails: something@domain.tld, without spaces.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= 254,
            !text.contains(where: { $0.isWhitespace }), firstControlCharacter(text) == nil
        else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }

    /// The first C0/C1 control character or DEL (U+0000–U+001F, U+007F–U+009F) in `text`, if any.
    static func firstControlCharacter(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    static func checkEmail(_ text: String, node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        if !isEmail(text) {
            sink.error(.nameEmail, "\"\(text)\" does not look like an email address", at: node.location, path: path)
        }
    }

    /// Absolute http(s) URLs with a host.
    static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
