import AdminServer
import Foundation
import Testing

@Suite("Webhook signature (HMAC-SHA256)")
struct SourceWebhookSignatureTests {
    /// RFC 4231 section 4 test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated output).
    static let vectors: [(key: [UInt8], data: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    /// The signature is swift-crypto's HMAC-SHA256, identical to the hand-written one it replaced.
    @Test("RFC 4231 vectors", arguments: 0..<6)
    func rfc4231(index: Int) {
        let vector = Self.vectors[index]
        #expect(WebhookSignature.signature(body: vector.data, secret: vector.key) == "sha256=" + vector.mac)
        #expect(WebhookSignature.isValid(body: vector.data, signatureHeader: "sha256=" + vector.mac, secret: vector.key))
    }

    /// The example in GitHub's "Validating webhook deliveries" documentation.
    @Test("GitHub's documented example")
    func githubExample() {
        let secret = Array("It's a Secret to Everybody".utf8)
        let body = Array("Hello, World!".utf8)
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(WebhookSignature.isValid(body: body, signatureHeader: header, secret: secret))
        #expect(WebhookSignature.signature(body: body, secret: secret) == header)
        #expect(WebhookSignature.isValid(body: body, signatureHeader: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), secret: secret))
    }

    @Test("wrong, missing or malformed signatures are refused")
    func refused() {
        let secret = Array("s3cret".utf8)
        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        let good = WebhookSignature.signature(body: body, secret: secret)
        #expect(WebhookSignature.isValid(body: body, signatureHeader: good, secret: secret))
        // Wrong secret, changed body, one flipped digit.
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: good, secret: Array("other".utf8)))
        #expect(!WebhookSignature.isValid(body: body + [0x20], signatureHeader: good, secret: secret))
        var flipped = Array(good.utf8)
        flipped[flipped.count - 1] = flipped[flipped.count - 1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: String(decoding: flipped, as: UTF8.self), secret: secret))
        // Missing header, empty secret, wrong algorithm, truncated, not hex, the SHA-1 header form.
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: nil, secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: "", secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: WebhookSignature.signature(body: body, secret: []), secret: []))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: good.replacingOccurrences(of: "sha256=", with: "sha512="), secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: String(good.dropLast(2)), secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: "sha256=" + String(repeating: "zz", count: 32), secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: "sha1=" + String(repeating: "ab", count: 20), secret: secret))
        #expect(!WebhookSignature.isValid(body: body, signatureHeader: good + "00", secret: secret))
    }
}
