import AdminServer
import JSON
import Store
import Testing

/// ``RevisionDiff``: pure, over stored canonical documents.
@Suite struct RevisionDiffTests {
    static func record(_ kind: String, _ id: String, _ document: JSONValue, file: String = "a.yaml", line: Int = 1) -> DeclarationRecord {
        DeclarationRecord(kind: kind, identity: id, contentHash: "h", document: CanonicalJSON.string(document), file: file, line: line, column: 1)
    }

    @Test func addedRemovedAndChangedWithFieldPaths() {
        let old = [
            Self.record("RunQueue", "e/q", ["kind": "RunQueue", "resource_config": ["env": ["A=1", "B=2"], "a/b": 1], "keep": true]),
            Self.record("User", "gone@example.com", ["kind": "User", "email": "gone@example.com"]),
            Self.record("Team", "t", ["kind": "Team", "name": "t"]),
        ]
        let new = [
            Self.record("RunQueue", "e/q", ["kind": "RunQueue", "resource_config": ["env": ["A=2"], "a/b": 2, "new": ["x": 1]], "keep": true]),
            // Moved to another file and line, same content: unchanged.
            Self.record("Team", "t", ["kind": "Team", "name": "t"], file: "b.yaml", line: 9),
            Self.record("User", "new@example.com", ["kind": "User", "email": "new@example.com"]),
        ]
        let diff = RevisionDiff.between(old: old, new: new)
        #expect(diff.added == [ObjectKey(kind: "User", identity: "new@example.com")])
        #expect(diff.removed == [ObjectKey(kind: "User", identity: "gone@example.com")])
        #expect(diff.changed.count == 1)
        #expect(diff.changed.first?.key == ObjectKey(kind: "RunQueue", identity: "e/q"))
        #expect(diff.changed.first?.fields == ["/resource_config/a~1b", "/resource_config/env/0", "/resource_config/env/1", "/resource_config/new"])
        #expect(diff.unchanged == 1)
        #expect(!diff.isEmpty)
    }

    @Test func theSameDeclarationsDiffEmptyInAnyOrder() {
        let records = [Self.record("Team", "t", ["kind": "Team", "name": "t"]), Self.record("User", "u", ["kind": "User", "email": "u"])]
        let diff = RevisionDiff.between(old: records, new: records.reversed())
        #expect(diff.isEmpty)
        #expect(diff.unchanged == 2)
        #expect(RevisionDiff.between(old: [], new: []).isEmpty)
        #expect(RevisionDiff.between(old: [], new: records).added.count == 2)
    }
}
