import Declarations
import Foundation
import JSON
import Testing

/// The canonical JSON text and content hash of every declaration in `examples/`, and the bundle's hash, as
/// recorded in `Golden/examples.txt`. These hashes are stored in PostgreSQL (desired state, events), so a
/// change to the canonical form or the hashing would make every stored revision look changed: the golden
/// file must never be regenerated to make this test pass.
@Suite("Golden canonical bytes and hashes of the examples")
struct GoldenHashesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/examples.txt")

    /// One block per declaration (`Kind identity contentHash`, then its canonical JSON text), then `bundle <hash>`.
    static func record(_ report: ValidationReport) -> String {
        var lines: [String] = []
        for declaration in report.declarations {
            lines.append("\(declaration.kind.rawValue) \(declaration.identity) \(declaration.contentHash)")
            lines.append(CanonicalJSON.string(declaration.canonical))
        }
        lines.append("bundle \(report.contentHash)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func examplesHashAsRecorded() throws {
        let report = Validator().validate(paths: [Self.root.appendingPathComponent("examples").path])
        try #require(report.isValid(strict: true), "\(report.diagnostics.map(\.description))")
        let recorded = try String(contentsOf: Self.golden, encoding: .utf8)
        let current = Self.record(report)
        let recordedLines = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        let currentLines = current.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(currentLines.count == recordedLines.count, "got:\n\(current)")
        for (index, (now, then)) in zip(currentLines, recordedLines).enumerated() {
            #expect(now == then, "line \(index + 1) of Golden/examples.txt")
        }
    }
}
