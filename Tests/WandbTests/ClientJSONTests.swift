import Foundation
import Testing
import WandbAPI

@Suite("Client JSON parser")
struct ClientJSONTests {
    @Test("parses every kind of value and keeps integers apart from other numbers")
    func kinds() throws {
        let value = try JSONValue(parsing: #" { "i": -12, "d": 1.5, "e": 1e3, "z": 0, "t": true, "f": false, "n": null, "a": [], "o": {} } "#)
        #expect(value["i"] == .integer(-12))
        #expect(value["d"] == .number(1.5))
        if case .number(let thousand)? = value["e"] { #expect(thousand == 1000) } else { Issue.record("1e3 is a number") }
        #expect(value["e"] == .integer(1000))
        #expect(value["z"] == .integer(0))
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([]))
        #expect(value["o"] == .object([:]))
        if case .number? = try JSONValue(parsing: "[123456789012345678901234567890]").arrayValue?.first {
        } else {
            Issue.record("an integer beyond Int is kept as a Double")
        }
    }

    @Test("decodes string escapes, including surrogate pairs")
    func escapes() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é""#)
        #expect(value == .string("a\"b\\c/d\n\té😀 é"))
        #expect(try JSONValue(parsing: JSONValue.string("x\"y\u{1}\n😀").jsonText) == .string("x\"y\u{1}\n😀"))
    }

    @Test("refuses what is not JSON, naming the byte offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "nul", "\"abc", "\"\\x\"", "\"\\ud800\"", "[1] 2",
        "{\"a\":1,}", "\"a\u{01}\"", "NaN",
    ])
    func refuses(text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test("nesting deeper than 512 is refused instead of overflowing the stack")
    func depth() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: (any Error).self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue(parsing: fine).arrayValue != nil)
    }

    @Test("agrees with JSONDecoder on a queue-shaped document")
    func agreesWithFoundation() throws {
        let text = #"""
            {"data":{"q0":{"runQueues":[{"id":"UnVuUXVldWU6MQ==","name":"gpu","access":"PROJECT","externalLinks":{"links":[]},
            "defaultResourceConfig":{"config":{"resource_args":{"kubernetes":{"spec":{"n":2,"r":0.25,"ok":true,"x":null}}}},
            "templateVariables":[{"name":"job","description":null,"schema":"{\"type\":\"string\"}"}]}}]}}}
            """#
        let ours = try JSONValue(parsing: text)
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(ours.jsonText == foundation.jsonText)
    }
}
