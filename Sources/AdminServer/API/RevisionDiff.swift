import Foundation
import JSON
import Store

/// What changed between two revisions' declarations: added, removed and changed declarations, with the JSON
/// Pointer of every changed field. Pure: compares the stored canonical JSON documents, nothing else (a declaration
/// that only moved to another file or line is unchanged).
public struct RevisionDiff: Sendable, Equatable {
    /// One declaration whose canonical document differs.
    public struct Change: Sendable, Equatable {
        public var key: ObjectKey
        /// JSON Pointers (RFC 6901) of the fields that differ, sorted: `/resource_config/env/0`; a field present on only
        /// one side is named once, not its members.
        public var fields: [String]
    }

    /// Declared in the newer revision only, sorted by kind then identity.
    public var added: [ObjectKey]
    /// Declared in the older revision only.
    public var removed: [ObjectKey]
    /// Declared in both, with different documents.
    public var changed: [Change]
    /// How many declarations are the same in both.
    public var unchanged: Int

    /// Whether the two revisions declare the same content.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// Compares `old` (the revision diffed against) with `new`.
    public static func between(old: [DeclarationRecord], new: [DeclarationRecord]) -> RevisionDiff {
        func keyed(_ records: [DeclarationRecord]) -> [ObjectKey: String] {
            Dictionary(records.map { (ObjectKey(kind: $0.kind, identity: $0.identity), $0.document) }, uniquingKeysWith: { first, _ in first })
        }
        let (before, after) = (keyed(old), keyed(new))
        let order: (ObjectKey, ObjectKey) -> Bool = { ($0.kind, $0.identity) < ($1.kind, $1.identity) }
        var diff = RevisionDiff(
            added: after.keys.filter { before[$0] == nil }.sorted(by: order),
            removed: before.keys.filter { after[$0] == nil }.sorted(by: order), changed: [], unchanged: 0)
        for key in after.keys.sorted(by: order) {
            guard let oldDocument = before[key], let newDocument = after[key] else { continue }
            guard oldDocument != newDocument else {
                diff.unchanged += 1
                continue
            }
            let oldValue = try? JSONParser.parse(Array(oldDocument.utf8))
            let newValue = try? JSONParser.parse(Array(newDocument.utf8))
            var fields: [String] = []
            if let oldValue, let newValue { fieldPaths(oldValue, newValue, at: "", into: &fields) }
            if fields.isEmpty {
                // Same value written differently, or a document that does not parse: the text still differs.
                if oldValue != nil, newValue != nil, oldValue == newValue {
                    diff.unchanged += 1
                    continue
                }
                fields = ["/"]
            }
            diff.changed.append(Change(key: key, fields: fields.sorted()))
        }
        return diff
    }

    /// Appends the JSON Pointer of every place where `old` and `new` differ.
    static func fieldPaths(_ old: JSONValue, _ new: JSONValue, at path: String, into fields: inout [String]) {
        guard old != new else { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + "/" + escape(key)
                switch (a[key], b[key]) {
                case (let x?, let y?): fieldPaths(x, y, at: child, into: &fields)
                case (nil, nil): break
                default: fields.append(child)
                }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<max(a.count, b.count) {
                let child = path + "/" + String(index)
                if index < a.count, index < b.count {
                    fieldPaths(a[index], b[index], at: child, into: &fields)
                } else {
                    fields.append(child)
                }
            }
        default:
            fields.append(path.isEmpty ? "/" : path)
        }
    }

    /// RFC 6901: `~` as `~0`, `/` as `~1`.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
