import AdminServer
import Declarations
import JSON
import Store
import Testing
import TestSupport

/// `DesiredStateCodec.draft(from:)` makes each record from its declaration (and lets the declaration go):
/// the records are in declaration order with each declaration's canonical text and hash, and the draft's
/// hash is the report's.
@Suite struct DesiredStateDraftTests {
    @Test func recordsAreTheDeclarationsInOrderWithTheReportsHash() throws {
        let report = Validator().validate(paths: [Repository.path("examples")])
        try #require(report.isValid(strict: false) && report.declarations.count > 3)
        let draft = DesiredStateCodec.draft(from: report, source: RevisionSource(kind: "directory", location: "examples"))
        #expect(draft.contentHash == report.contentHash)
        let records: [DeclarationRecord] = draft.declarations
        let declarations: [Declaration] = report.declarations
        #expect(records.map { $0.identity } == declarations.map { $0.identity })
        #expect(records.map { $0.kind } == declarations.map { $0.kind.rawValue })
        #expect(records.map { $0.contentHash } == declarations.map { $0.contentHash })
        #expect(records.map { $0.document } == declarations.map { CanonicalJSON.string($0.canonical) })
        #expect(records.map { SourceLocation(file: $0.file, line: $0.line, column: $0.column) } == declarations.map { $0.location })
    }
}
