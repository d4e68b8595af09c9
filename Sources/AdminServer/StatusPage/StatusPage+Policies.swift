import Foundation
import JSON
import Store

extension StatusPage.Model {
    /// One `kind: Policy` of the current revision, as text.
    public struct PolicyRow: Sendable, Hashable {
        public var name: String
        /// `error` or `warning`.
        public var severity: String
        /// `entities ml-*; resource_types kubernetes`, or `all queues`.
        public var scope: String
        /// `max_gpus_per_job 8; allowed_namespaces training`.
        public var rules: String

        public init(name: String, severity: String, scope: String, rules: String) {
            self.name = name
            self.severity = severity
            self.scope = scope
            self.rules = rules
        }

        /// The row for a stored Policy declaration (its canonical document); `nil` for other kinds or an
        /// unreadable document.
        public init?(_ record: DeclarationRecord) {
            guard record.kind == "Policy",
                let document = try? JSONDecoder().decode(JSONValue.self, from: Data(record.document.utf8)), let members = document.object
            else { return nil }
            func describe(_ value: JSONValue?) -> String {
                guard let object = value?.object else { return "" }
                return object.keys.sorted().map { key in
                    let text: String
                    switch object[key]! {
                    case .array(let items): text = items.map { $0.string ?? CanonicalJSON.string($0) }.joined(separator: ", ")
                    case .string(let string): text = string
                    case let other: text = CanonicalJSON.string(other)
                    }
                    return "\(key) \(text)"
                }.joined(separator: "; ")
            }
            let scope = describe(members["scope"])
            self.init(
                name: record.identity, severity: members["severity"]?.string ?? "error", scope: scope.isEmpty ? "all queues" : scope,
                rules: describe(members["rules"]))
        }
    }
}
