import Declarations
import Foundation
import JSON
import Testing

@Suite("Loading YAML and JSON")
struct LoaderTests {
    @Test func positionsPointAtTheValue() {
        let report = validate("apiVersion: launchq/v1\nkind: User\nemail: not-an-email\n")
        expectOne(report, .nameEmail, line: 3, column: 8, path: "/email")
    }

    @Test func multiDocumentFilesSkipEmptyDocuments() {
        let text = "---\n---\napiVersion: launchq/v1\nkind: User\nemail: a@example.com\n---\n# nothing\n---\napiVersion: launchq/v1\nkind: User\nemail: b@example.com\n"
        let report = validate(text)
        expectClean(report)
        #expect(report.declarations.map(\.identity) == ["a@example.com", "b@example.com"])
        #expect(report.declarations[1].location.line == 9)
    }

    @Test func yamlSyntaxErrorHasPosition() {
        let report = validate("apiVersion: launchq/v1\nkind: [User\nemail: x\n")
        let diagnostic = expectOne(report, .yamlSyntax)
        #expect(diagnostic?.location?.line ?? 0 >= 2)
    }

    @Test func duplicateKeysAreRefusedWhileParsingWithBothPlaces() {
        let report = validate("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\nemail: b@example.com\n")
        let diagnostic = expectOne(report, .yamlDuplicateKey, line: 4, column: 1)
        #expect(diagnostic?.message.contains("line 3") == true)
        let json = validate("{\"apiVersion\": \"launchq/v1\", \"kind\": \"User\",\n \"email\": \"a@example.com\", \"email\": \"b@example.com\"}", file: "u.json")
        expectOne(json, .yamlDuplicateKey, line: 2, column: 28)
    }

    @Test func acceptedDocumentsHaveNoDuplicateKeyDiagnostics() {
        expectClean(validate("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\n"))
    }

    @Test func jsonFilesAllowTabsAndReportSyntaxPositions() {
        let good = validate("{\n\t\"apiVersion\": \"launchq/v1\",\n\t\"kind\": \"User\",\n\t\"email\": \"a@example.com\"\n}\n", file: "u.json")
        expectClean(good)
        let bad = validate("{\n  \"apiVersion\": \"launchq/v1\",\n  \"kind\": \"User\" \"email\": 1\n}", file: "u.json")
        expectOne(bad, .jsonSyntax, line: 3, column: 18)
    }

    @Test func invalidUTF8IsRefusedWithItsPosition() {
        var bytes = Array("apiVersion: launchq/v1\nkind: User\nemail: a".utf8)
        bytes += [0xC3, 0x28]
        var load = LoadResult()
        DeclarationLoader().load(contents: bytes, file: "bad.yaml", into: &load)
        #expect(load.documents.isEmpty)
        #expect(load.diagnostics.count == 1)
        #expect(load.diagnostics.first?.code == .fileEncoding)
        #expect(load.diagnostics.first?.location?.line == 3)
        #expect(load.diagnostics.first?.location?.column == 9)
    }

    @Test func fileOverTheSizeLimitIsRefusedUnparsed() {
        var limits = ParseLimits()
        limits.maxFileBytes = 100
        let report = validate(String(repeating: "# padding\n", count: 20), limits: limits)
        expectOne(report, .limitFileSize, line: 1, column: 1)
    }

    @Test func deepFlowNestingIsRefusedQuickly() {
        let text = String(repeating: "[", count: 1 << 20)
        let report = validate(text)
        expectOne(report, .limitDepth, line: 1)
    }

    @Test func deepBlockNestingIsRefused() {
        let report = validate(String(repeating: "- ", count: 100_000) + "x\n")
        expectOne(report, .limitDepth)
        let ok = validate("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\n" + "x: " + String(repeating: "[", count: 60) + String(repeating: "]", count: 60))
        #expect(diagnostics(ok, .limitDepth).isEmpty)
    }

    @Test func billionLaughsIsRefused() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let report = validate(text)
        expectOne(report, .limitAliasExpansion)
    }

    @Test func modestAliasesAreFine() {
        let text = queueYAML(
            """
            resource_config:
              limits: &l {cpu: "1"}
              requests: *l
            """)
        #expect(diagnostics(validate(text), .limitAliasExpansion).isEmpty)
    }

    @Test func tenThousandDocumentsLoad() {
        var text = ""
        for index in 0..<10_000 { text += "---\napiVersion: launchq/v1\nkind: User\nemail: u\(index)@example.com\n" }
        let report = validate(text)
        #expect(report.errorCount == 0)
        #expect(report.declarations.count == 10_000)
    }

    @Test func yaml12ScalarsKeepNorwayAString() {
        let report = validate(queueYAML(type: "local-container", "resource_config:\n  name: NO\n  cpus: 2.5\n  memory: 0x10\n"))
        expectClean(report)
        guard case .runQueue(let queue)? = report.declarations.first?.object else { Issue.record("no queue"); return }
        #expect(queue.resourceConfig["name"] == .string("NO"))
        #expect(queue.resourceConfig["cpus"] == .number(2.5))
        #expect(queue.resourceConfig["memory"] == .integer(16))
        if case .integer? = queue.resourceConfig["memory"] {} else { Issue.record("0x10 is read as an integer") }
    }

    @Test func mergeKeysAndComplexKeysAndTagsAreRefused() {
        let merge = validate(queueYAML("resource_config:\n  base: &b {a: 1}\n  spec:\n    <<: *b\n"))
        expectOne(merge, .yamlMergeKey, line: 9, column: 5)
        let complex = validate("? [a, b]\n: c\n")
        expectOne(complex, .yamlComplexKey, line: 1, column: 3)
        let tag = validate(queueYAML("resource_config:\n  x: !custom 1\n"))
        expectOne(tag, .yamlUnsupportedTag, line: 7, column: 6)
    }

    @Test func foldersAreReadRecursivelySkippingHiddenOnes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-loader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let user = { (email: String) in "apiVersion: launchq/v1\nkind: User\nemail: \(email)\n" }
        try user("one@example.com").write(to: root.appendingPathComponent("a/b/one.yml"), atomically: true, encoding: .utf8)
        try user("two@example.com").write(to: root.appendingPathComponent("two.yaml"), atomically: true, encoding: .utf8)
        try user("hidden@example.com").write(to: root.appendingPathComponent(".git/h.yaml"), atomically: true, encoding: .utf8)
        try "not yaml: [".write(to: root.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let report = Validator().validate(paths: [root.path])
        expectClean(report)
        #expect(Set(report.declarations.map(\.identity)) == ["one@example.com", "two@example.com"])
        #expect(report.fileCount == 2)
        let missing = Validator().validate(paths: [root.appendingPathComponent("nope").path])
        #expect(missing.diagnostics.first?.code == .fileRead)
    }
}
