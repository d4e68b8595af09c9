import Crypto

/// Content hashes: SHA-256 (swift-crypto) as lower-case hex. These hashes are stored with revisions and object
/// status in PostgreSQL, so their bytes must never change (the golden test of `examples/` checks it).
///
/// ```swift
/// ContentHash.sha256("abc")   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public enum ContentHash {
    /// The SHA-256 digest of `bytes`, as 64 lower-case hex digits.
    public static func sha256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The SHA-256 digest of a string's UTF-8 bytes, as 64 lower-case hex digits.
    public static func sha256(_ text: String) -> String {
        sha256(Array(text.utf8))
    }

    /// The SHA-256 digest of `parts` joined by `separator`, as ``sha256(_:)-(String)`` of the joined text gives it,
    /// without making the joined text (a fleet's observation is ~12 MB of lines).
    public static func sha256(joining parts: [String], separator: String) -> String {
        var hasher = SHA256()
        let between = Array(separator.utf8)
        for (index, part) in parts.enumerated() {
            if index > 0 { hasher.update(data: between) }
            var part = part
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hex(hasher.finalize())
    }

    /// Bytes as lower-case hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
