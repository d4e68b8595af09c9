import Crypto

extension SHA256 {
    /// The digest of a string's UTF-8 bytes as 64 lower-case hex digits: API token hashes and migration checksums
    /// (both stored in PostgreSQL, so the format never changes).
    static func hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hash(data: Array(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
