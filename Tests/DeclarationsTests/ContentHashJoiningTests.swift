import Declarations
import Testing

@Suite("ContentHash.sha256(joining:separator:)")
struct ContentHashJoiningTests {
    @Test("equals the hash of the joined text: none, one, empty parts, non-ASCII, long parts", arguments: [
        [String](), [""], ["", ""], ["abc"], ["queue a/b Q1 {\"x\":1}", "entity a true false", "user é 1 ü false"],
        (0..<300).map { "line \($0) " + String(repeating: "ß{}\"", count: $0) },
    ])
    func matchesJoined(_ parts: [String]) {
        #expect(ContentHash.sha256(joining: parts, separator: "\n") == ContentHash.sha256(parts.joined(separator: "\n")))
        #expect(ContentHash.sha256(joining: parts, separator: "") == ContentHash.sha256(parts.joined()))
    }

    @Test func knownVector() {
        #expect(ContentHash.sha256(joining: ["a", "b", "c"], separator: "") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
