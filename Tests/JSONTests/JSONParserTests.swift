import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value and keeps integers apart from other numbers")
    func kinds() throws {
        let value = try JSONValue(parsing: #" { "i": -12, "d": 1.5, "e": 1e3, "z": 0, "t": true, "f": false, "n": null, "a": [], "o": {} } "#)
        #expect(value["i"] == .integer(-12))
        #expect(value["d"] == .number(1.5))
        if case .number(let thousand)? = value["e"] { #expect(thousand == 1000) } else { Issue.record("1e3 is a number") }
        #expect(value["e"] == .integer(1000))
        if case .integer(0)? = value["z"] {} else { Issue.record("0 is an integer") }
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([]))
        #expect(value["o"] == .object([:]))
        if case .number? = try JSONValue(parsing: "[123456789012345678901234567890]").array?.first {
        } else {
            Issue.record("an integer beyond Int is kept as a Double")
        }
    }

    @Test("decodes string escapes, including surrogate pairs")
    func escapes() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é""#)
        #expect(value == .string("a\"b\\c/d\n\té😀 é"))
        #expect(try JSONValue(parsing: CanonicalJSON.string(.string("x\"y\u{1}\n😀"))) == .string("x\"y\u{1}\n😀"))
    }

    @Test("refuses what is not JSON", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "nul", "\"abc", "\"\\x\"", "\"\\ud800\"", "[1] 2",
        "{\"a\":1,}", "\"a\u{01}\"", "NaN",
    ])
    func refuses(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }

    @Test("says where the text stops being JSON: byte offset, 1-based line and column")
    func positions() throws {
        #expect(try JSONValue(parsing: #"{"a": [1, 2.5e3, true, null, "x\u00e9"]}"#) == ["a": [1, 2500, true, nil, "xé"]])
        let cases: [(String, Int, Int)] = [
            ("{", 1, 2), ("{\"a\" 1}", 1, 6), ("[1,]", 1, 4), ("{\"a\": 01}", 1, 8), ("\n\n  x", 3, 3), ("{} {}", 1, 4),
            ("\"abc", 1, 5), ("[1 2]", 1, 4), ("{\"a\": tru}", 1, 10),
        ]
        for (text, line, column) in cases {
            do {
                _ = try JSONValue(parsing: text)
                Issue.record("\(text.debugDescription) parsed")
            } catch {
                #expect(error.line == line && error.column == column, "\(text.debugDescription): \(error)")
                #expect(!error.reason.isEmpty)
            }
        }
        let multiline = "{\n  \"files\": [\n    {\"path\": \"a.yaml\", \"content\": \"x\",}\n  ]\n}"
        #expect(throws: JSONSyntaxError(offset: 53, line: 3, column: 39, reason: "expected a member name")) {
            try JSONValue(parsing: multiline)
        }
    }

    @Test("nesting deeper than 512 is refused instead of overflowing the stack")
    func depth() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue(parsing: fine).array != nil)
    }

    @Test("a repeated key keeps its last value")
    func repeatedKey() throws {
        #expect(try JSONValue(parsing: #"{"x":1,"x":2}"#) == ["x": 2])
    }
}
