import Declarations
import Foundation
import JSON
import Reconciler
import Testing

/// The import's YAML writer: whatever it writes, launchq's loader reads back to the same value.
@Suite("Import: YAML writer")
struct ImportYAMLWriterTests {
    /// Strings a naive writer gets wrong: YAML 1.1/1.2 keywords, numbers, indicators, spaces, breaks, unicode.
    static let trickyStrings: [String] = [
        "", " ", "  ", " a", "a ", "a  b", "yes", "no", "Yes", "NO", "on", "off", "y", "n", "true", "True", "FALSE", "null", "Null",
        "NULL", "~", "1e3", "1E3", "1.5", "-1", "+1", ".5", "5.", "0x1F", "0o17", "0b101", "1_000", "12:30", "2026-11-29", ".inf",
        "-.inf", ".nan", ".NaN", "a: b", "a:b", "a:", ":a", "#x", "a #x", "a#x", "-", "- a", "-a", "--", "---", "...", "?", "? a",
        "{{gpus}}", "{{ gpus }}", "{{gpus}}Gi", "${run_id}", "${author}-x", "$HOME", "{}", "[]", "[a, b]", "{a: b}", "a, b", "&anchor",
        "*alias", "!tag", "!!str", "|", ">", "'quoted'", "\"double\"", "%YAML", "@at", "`tick`", "a\\b", "\\", "tab\there", "\t",
        "line1\nline2", "line1\nline2\n", "line1\nline2\n\n", "\nleading", "  indented\nnext", "trailing \nspace", "a\r\nb", "\n",
        "\n\n", "café", "日本語", "emoji 😀", "\u{85}next", "a\u{2028}b", "\u{FEFF}bom", "nul\u{0}byte", "del\u{7F}", "\u{1F}",
        "é: x", "<<", "=", "a=b", "https://grafana.example.com/d/launch?x=1&y=2#frag", "nvidia.com/gpu", "cloud.google.com/gke-accelerator",
        "- item\n- item", "key: value\nother: x", "# comment\ntext", String(repeating: "long ", count: 300),
    ]

    static func roundTrip(_ text: String) -> (value: JSONValue?, diagnostics: [Diagnostic]) {
        var load = LoadResult()
        DeclarationLoader().load(contents: Array(text.utf8), file: "test.yaml", into: &load)
        return (load.documents.first?.root.json, load.diagnostics)
    }

    static func expectRoundTrip(_ value: JSONValue, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let text = YAMLWriter.string(value)
        let read = roundTrip(text)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)\n\(text)", sourceLocation: sourceLocation)
        #expect(read.value == value, "wrote:\n\(text)", sourceLocation: sourceLocation)
    }

    @Test("tricky strings round-trip as values, keys, and items", arguments: trickyStrings)
    func trickyString(_ text: String) {
        Self.expectRoundTrip(.object(["value": .string(text)]))
        Self.expectRoundTrip(.object(["list": .array([.string(text), .object(["k": .string(text)])])]))
        if text != "<<" {  // the loader refuses merge keys however they are quoted
            Self.expectRoundTrip(.object([text: .string("v"), "z": .object([text: .array([.string(text)])])]))
        }
    }

    @Test("placeholders and macros stay strings, quoted; plain words stay readable")
    func readable() {
        let text = YAMLWriter.string(.object([
            "gpus": "{{gpus}}", "launched-by": "${author}", "name": "a100-training", "url": "https://grafana.example.com/d/launch",
            "answer": "yes", "count": 3, "ratio": .number(2.0), "on": true, "none": .null,
        ]))
        #expect(text.contains("gpus: \"{{gpus}}\"\n"))
        #expect(text.contains("launched-by: \"${author}\"\n"))
        #expect(text.contains("name: a100-training\n"))
        #expect(text.contains("url: https://grafana.example.com/d/launch\n"))
        #expect(text.contains("answer: \"yes\"\n"))
        #expect(text.contains("count: 3\n"))
        #expect(text.contains("ratio: 2.0\n"))
        #expect(text.contains("\"on\": true\n"))
        #expect(text.contains("none: null\n"))
        // Sorted keys: a stable diff whatever order the dictionary has.
        let keys = text.split(separator: "\n").map { String($0.prefix { $0 != ":" }).replacingOccurrences(of: "\"", with: "") }
        #expect(keys == keys.sorted())
    }

    @Test("multi-line text is a literal block with the right chomping")
    func literalBlocks() {
        #expect(YAMLWriter.string(.object(["script": "echo a\necho b"])) == "script: |-\n  echo a\n  echo b\n")
        #expect(YAMLWriter.string(.object(["script": "echo a\necho b\n"])) == "script: |\n  echo a\n  echo b\n")
        #expect(YAMLWriter.string(.object(["script": "a\n\n"])) == "script: |+\n  a\n\n")
        #expect(YAMLWriter.string(.object(["script": "  a\nb"])) == "script: |2-\n    a\n  b\n")
        for text in ["a\n\n\n", "\n\na", "a\n  b\n c", "x:\n  - y\n# z\n"] { Self.expectRoundTrip(.object(["v": .string(text), "w": [.string(text)]])) }
    }

    @Test("nested lists of objects, lists of lists, and empty collections")
    func structures() {
        let value: JSONValue = .object([
            "containers": [
                .object(["name": "main", "args": ["--x", "-y", "1"], "env": [.object(["name": "A", "value": "1"]), .object([:])]]),
                .object([:]),
                [],
                [[], [[]], [.object(["a": []])], ["x", ["y", .object(["z": .object([:])])]]],
            ],
            "empty": .object([:]),
            "emptyList": [],
            "numbers": [0, -1, 9_223_372_036_854_775_807, -9_223_372_036_854_775_808, .number(0.5), .number(-2.0), .number(1e-5), .number(1.5e300), .number(5e-324)],
            "flags": [true, false, .null],
        ])
        Self.expectRoundTrip(value)
        Self.expectRoundTrip(.object([:]))
        Self.expectRoundTrip(.object(["a": [[[[.object(["deep": "x"])]]]]]))
    }

    @Test("random values round-trip", arguments: 1...8)
    func random(seed: UInt64) {
        var generator = RandomJSON(seed: seed)
        for _ in 0..<60 {
            var members: [String: JSONValue] = [:]
            for _ in 0..<generator.int(1...5) { members[generator.key()] = generator.value(depth: 4) }
            Self.expectRoundTrip(.object(members))
        }
    }

    @Test("a document keeps its field order and starts with the header comment")
    func document() {
        let text = YAMLWriter.document(
            [("apiVersion", .string("launchq/v1")), ("kind", .string("Project")), ("entity", .string("ml")), ("name", .string("p"))], header: ["Imported.", "", "Review."])
        #expect(text == "# Imported.\n#\n# Review.\napiVersion: launchq/v1\nkind: Project\nentity: ml\nname: p\n")
        #expect(Self.roundTrip(text).value == .object(["apiVersion": "launchq/v1", "kind": "Project", "entity": "ml", "name": "p"]))

        // A name with a line break in the header cannot end the comment and add fields.
        let sneaky = YAMLWriter.document([("name", .string("q"))], header: ["queue ml/q\nkind: User", "tab\there\u{2028}x"])
        #expect(sneaky.split(separator: "\n").count == 3, "\(sneaky)")
        #expect(Self.roundTrip(sneaky).value == .object(["name": "q"]))
    }
}

/// Random JSON values from a seeded generator (SplitMix64), biased toward YAML's awkward corners.
struct RandomJSON {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "{", "}", "{{", "}}", "[", "]", ",", "&", "*", "!", "|",
        ">", "'", "\"", "%", "@", "`", "\n", "\t", "\r", "\\", "é", "日", "😀", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{0}", "\u{7F}",
        ".", "~", "=", "<", "$", "${", "e", "1e3", "true", "null", "yes", "x", "name", "/",
    ]

    mutating func string() -> String {
        if int(0...3) == 0 { return ImportYAMLWriterTests.trickyStrings[int(0...ImportYAMLWriterTests.trickyStrings.count - 1)] }
        return (0..<int(0...8)).map { _ in Self.pieces[int(0...Self.pieces.count - 1)] }.joined()
    }

    mutating func key() -> String {
        let key = string()
        return key == "<<" ? "merge" : key
    }

    mutating func value(depth: Int) -> JSONValue {
        switch int(0...(depth > 0 ? 9 : 6)) {
        case 0: return .null
        case 1: return .bool(int(0...1) == 1)
        case 2: return .integer(Int(truncatingIfNeeded: next()) >> int(0...63))
        case 3:
            let number = Double(bitPattern: next())
            return .number(number.isFinite ? number : Double(int(-1000...1000)) / 8)
        case 4, 5, 6: return .string(string())
        case 7, 8:
            var members: [String: JSONValue] = [:]
            for _ in 0..<int(0...4) { members[key()] = value(depth: depth - 1) }
            return .object(members)
        default:
            return .array((0..<int(0...4)).map { _ in value(depth: depth - 1) })
        }
    }
}
