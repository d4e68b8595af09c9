import Declarations
import Foundation
import PropertyBased
import Testing

/// Hostile and malformed input: the loader never crashes or hangs, and always answers with
/// documents or diagnostics that say where.
@Suite("Hostile input")
struct HostileInputTests {
    static let seedText = """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: ml-platform
        name: "q"
        resource_type: kubernetes
        resource_config: {spec: [{a: "{{gpus}}"}, &x {b: 1}, *x], "k": 'v'}
        template_variables:
          gpus: {schema: {type: integer, default: 1, enum: [1, 2]}}
        ---
        {"apiVersion": "launchq/v1", "kind": "User", "email": "a@example.com"}

        """

    /// Random byte edits of a valid file: flips, inserts of YAML punctuation, truncations.
    @Test func mutatedFilesAreAnsweredNotCrashedOn() async {
        let bytes = Array(Self.seedText.utf8)
        let punctuation = Array("[]{}:,-?&*!|>'\"%@`#\n\t \\{{}}${}".utf8) + [0x00, 0xFF, 0xC3, 0x80]
        await propertyCheck(count: 2000, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SeededRandom(seed: UInt64(seed))
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let position = Int.random(in: 0..<max(1, mutated.count), using: &random)
                switch Int.random(in: 0...3, using: &random) {
                case 0: mutated[position] = punctuation.randomElement(using: &random)!
                case 1: mutated.insert(punctuation.randomElement(using: &random)!, at: position)
                case 2: mutated.removeSubrange(position..<min(mutated.count, position + Int.random(in: 1...20, using: &random)))
                default: mutated = Array(mutated.prefix(position))
                }
                if mutated.isEmpty { break }
            }
            for file in ["fuzz.yaml", "fuzz.json"] {
                var load = LoadResult()
                DeclarationLoader().load(contents: mutated, file: file, into: &load)
                let report = Validator().validate(load)
                // Every document read became a declaration, or something was reported.
                #expect(report.declarations.count == load.documents.count || report.errorCount > 0)
                for diagnostic in report.diagnostics {
                    #expect(diagnostic.location.map { $0.line >= 1 && $0.column >= 1 } ?? true, "\(diagnostic)")
                    #expect(!diagnostic.message.isEmpty)
                }
            }
        }
    }

    @Test func binaryAndNULBytesAreRefusedAsText() {
        var load = LoadResult()
        DeclarationLoader().load(contents: [0x00, 0x01, 0xFE, 0xFF, 0x00], file: "blob.yaml", into: &load)
        #expect(load.documents.isEmpty)
        #expect(load.diagnostics.map(\.code) == [.fileEncoding])
        var nul = LoadResult()
        DeclarationLoader().load(contents: Array("kind: User\u{0}\n".utf8), file: "nul.yaml", into: &nul)
        #expect(nul.documents.isEmpty)
        #expect(nul.diagnostics.count == 1)
    }

    @Test func deepJSONAndLongLinesAreRefusedOrRead() {
        let deep = String(repeating: "[", count: 500_000) + String(repeating: "]", count: 500_000)
        expectOne(validate(deep, file: "deep.json"), .limitDepth, line: 1, column: 65)
        let wide = "{\"apiVersion\": \"launchq/v1\", \"kind\": \"User\", \"email\": \"a@example.com\", \"x\": \"" + String(repeating: "y", count: 900_000) + "\"}"
        #expect(diagnostics(validate(wide, file: "wide.json"), .fieldUnknown).first?.location?.column == 72)
    }

    @Test func namesMadeToBreakThingsStayData() {
        let text = queueYAML().replacingOccurrences(of: "name: q1", with: #"name: "q'; DROP TABLE revisions; -- <script>alert(1)</script> \" {{x}}""#)
        let report = validate(text)
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
        guard case .runQueue(let queue)? = report.declarations.first?.object else { Issue.record("no queue"); return }
        #expect(queue.name == #"q'; DROP TABLE revisions; -- <script>alert(1)</script> " {{x}}"#)
    }

    @Test func symlinksEscapingTheFolderAreRefused() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("decl")
        let outside = base.appendingPathComponent("secret.yaml")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try "apiVersion: launchq/v1\nkind: User\nemail: outside@example.com\n".write(to: outside, atomically: true, encoding: .utf8)
        try "apiVersion: launchq/v1\nkind: User\nemail: inside@example.com\n".write(
            to: root.appendingPathComponent("in.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.yaml"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("alias.yaml"), withDestinationURL: root.appendingPathComponent("in.yaml"))
        let report = Validator().validate(paths: [root.path])
        #expect(report.declarations.map(\.identity).contains("inside@example.com"))
        #expect(!report.declarations.map(\.identity).contains("outside@example.com"))
        #expect(diagnostics(report, .fileRead).count == 1)
        #expect(diagnostics(report, .fileRead).first?.message.contains("links outside") == true)
    }
}
