import Declarations
import JSON
import PropertyBased
import Testing

@Suite("Normalisation and content hashes")
struct NormalisationTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(ContentHash.sha256(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(ContentHash.sha256(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func canonicalJSONSortsKeysAndUnifiesNumbers() {
        let value: JSONValue = .object(["b": .number(1.0), "a": .array([.number(0.5), .string("x\"\n")]), "c": .number(1e21)])
        #expect(CanonicalJSON.string(value) == #"{"a":[0.5,"x\"\n"],"b":1,"c":1e+21}"#)
    }

    @Test func defaultsMeanTheSameAsWrittenOut() {
        let short = validate(queueYAML())
        let long = validate(queueYAML("prioritization_mode: DISABLED\nresource_config: {}\ntemplate_variables: {}\nexternal_links: {}\n"))
        #expect(short.declarations.first?.contentHash == long.declarations.first?.contentHash)
        let different = validate(queueYAML("prioritization_mode: V0\n"))
        #expect(short.declarations.first?.contentHash != different.declarations.first?.contentHash)
    }

    @Test func emailsHashCaseInsensitively() {
        let a = validate("apiVersion: launchq/v1\nkind: User\nemail: Alice@Example.com\n")
        let b = validate("{\"kind\": \"User\", \"email\": \"alice@example.com\", \"apiVersion\": \"launchq/v1\", \"admin\": false}", file: "u.json")
        #expect(a.declarations.first?.contentHash == b.declarations.first?.contentHash)
    }

    /// Random queues, written as YAML and as JSON with their keys in random orders, hash the same.
    @Test func hashIsStableUnderKeyOrderAndYAMLJSONRewriting() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SeededRandom(seed: UInt64(seed))
            let queue = RandomQueue.make(&random)
            let yaml = validate(RandomQueue.yaml(queue, &random), file: "q.yaml")
            let json = validate(RandomQueue.json(queue, &random), file: "q.json")
            let reordered = validate(RandomQueue.yaml(queue, &random), file: "r.yaml")
            #expect(yaml.errorCount == 0, "\(yaml.diagnostics.map(\.description))")
            #expect(json.errorCount == 0, "\(json.diagnostics.map(\.description))")
            let hashes = [yaml, json, reordered].map { $0.declarations.first?.contentHash }
            #expect(hashes[0] != nil)
            #expect(Set(hashes).count == 1)
            #expect(yaml.contentHash == json.contentHash)
        }
    }
}
