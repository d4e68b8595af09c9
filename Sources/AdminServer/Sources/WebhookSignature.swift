import Crypto

/// Checks GitHub's webhook signature header `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
///
/// The same form is sent by Gitea, Forgejo and GitLab-compatible setups configured for GitHub-style hooks.
public enum WebhookSignature {
    /// The header carrying the signature.
    public static let headerName = "X-Hub-Signature-256"

    /// `true` when `signatureHeader` is `sha256=` followed by the hex HMAC-SHA256 of `body` under `secret`.
    ///
    /// A missing or malformed header, an empty secret or a wrong code gives `false`. Hex digits may be either case.
    /// The code is checked by swift-crypto's `HMAC.isValidAuthenticationCode`, in constant time (the comparison
    /// takes the same time wherever the first difference is).
    public static func isValid(body: [UInt8], signatureHeader: String?, secret: [UInt8]) -> Bool {
        guard !secret.isEmpty, let header = signatureHeader?.trimmingSpaces else { return false }
        let prefix = "sha256="
        guard header.utf8.count == prefix.utf8.count + 64, header.lowercased().hasPrefix(prefix) else { return false }
        guard let given = decodeHex(header.utf8.dropFirst(prefix.utf8.count)) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: body, using: SymmetricKey(data: secret))
    }

    /// The header value for `body` under `secret` (`sha256=<lower-case hex>`): what a sender puts in ``headerName``.
    public static func signature(body: [UInt8], secret: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("sha256=".utf8)
        for byte in HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// 64 hex digits → 32 bytes, or `nil` if any character is not a hex digit.
    private static func decodeHex(_ digits: Substring.UTF8View) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for character in digits {
            guard let value = hexValue(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes.count == 32 && high == nil ? bytes : nil
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" { view.removeFirst() }
        while view.last == " " || view.last == "\t" { view.removeLast() }
        return view
    }
}
