import Foundation
import JSON
import Testing

@Suite("JSON values: one equality rule, canonical bytes")
struct JSONValueTests {
    @Test("numbers compare by value and hash alike; other kinds never equal each other")
    func equality() {
        #expect(JSONValue.integer(1) == JSONValue.number(1.0))
        #expect(JSONValue.number(1.0) == JSONValue.integer(1))
        #expect(JSONValue.integer(1) != JSONValue.number(1.5))
        #expect(JSONValue.integer(-3) == JSONValue.number(-3))
        #expect(Set<JSONValue>([.integer(2), .number(2.0)]).count == 1)
        #expect(Set<JSONValue>([.integer(2), .number(2.5)]).count == 2)
        #expect(JSONValue.string("1") != JSONValue.integer(1))
        #expect(JSONValue.bool(true) != JSONValue.integer(1))
        #expect(JSONValue.null != JSONValue.integer(0))
        #expect(JSONValue.object(["a": .integer(1)]) == JSONValue.object(["a": .number(1)]))
        #expect(JSONValue.array([.number(2)]) == JSONValue.array([.integer(2)]))
        #expect([JSONValue.object(["a": .number(2)])].contains(.object(["a": .integer(2)])))
        let dictionary: [JSONValue: String] = [.integer(7): "seven"]
        #expect(dictionary[.number(7)] == "seven")
    }

    @Test("round-trips through JSON text")
    func roundTrip() throws {
        let text = #"{"a":[1,2.5,true,null,"x"],"b":{"c":-3}}"#
        let value = try JSONValue(parsing: text)
        #expect(value == ["a": [1, 2.5, true, nil, "x"], "b": ["c": -3]])
        #expect(CanonicalJSON.string(value) == text)
        #expect(try JSONValue(parsing: CanonicalJSON.string(value)) == value)
        #expect(try JSONValue(parsing: "2.5") == .number(2.5))
        #expect(try JSONValue(parsing: "7").int == 7)
        #expect(CanonicalJSON.string(.object(["z": 1, "a": 2])) == #"{"a":2,"z":1}"#)
    }

    @Test("canonical bytes: sorted keys, no spaces, whole numbers as integers, escapes")
    func canonicalBytes() {
        #expect(CanonicalJSON.string(.number(1.0)) == "1")
        #expect(CanonicalJSON.string(.number(-0.0)) == "0")
        #expect(CanonicalJSON.string(.number(2.5)) == "2.5")
        #expect(CanonicalJSON.string(.number(0.1)) == "0.1")
        #expect(CanonicalJSON.string(.number(1e300)) == "1e+300")
        #expect(CanonicalJSON.string(.number(9_007_199_254_740_992)) == "9007199254740992")
        #expect(CanonicalJSON.string(.number(18_014_398_509_481_984)) == "1.8014398509481984e+16")
        #expect(CanonicalJSON.string(.number(.infinity)) == "null")
        #expect(CanonicalJSON.string(.integer(-12)) == "-12")
        #expect(CanonicalJSON.string(.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}é/")) == #""a\"b\\c\n\r\t\b\f\u0001é/""#)
        #expect(CanonicalJSON.string(["b": [1, nil, false], "a": ["y": "", "x": 1.5]]) == #"{"a":{"x":1.5,"y":""},"b":[1,null,false]}"#)
        #expect(CanonicalJSON.bytes(["k": "v"]) == Array(#"{"k":"v"}"#.utf8))
        #expect(JSONValue.number(3).canonical == .integer(3))
        if case .integer(3) = JSONValue.number(3).canonical {} else { Issue.record("3.0 is canonically an integer") }
        #expect("\(JSONValue.object(["b": 1, "a": true]))" == #"{"a":true,"b":1}"#)
    }

    @Test("Codable through Foundation agrees with the parser")
    func codable() throws {
        let text = #"""
            {"data":{"q0":{"runQueues":[{"id":"UnVuUXVldWU6MQ==","name":"gpu","access":"PROJECT","externalLinks":{"links":[]},
            "defaultResourceConfig":{"config":{"resource_args":{"kubernetes":{"spec":{"n":2,"r":0.25,"ok":true,"x":null}}}},
            "templateVariables":[{"name":"job","description":null,"schema":"{\"type\":\"string\"}"}]}}]}}}
            """#
        let ours = try JSONValue(parsing: text)
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(CanonicalJSON.string(ours) == CanonicalJSON.string(foundation))
        let encoded = try JSONEncoder().encode(ours)
        #expect(try JSONValue(parsing: Array(encoded)) == ours)
    }
}
