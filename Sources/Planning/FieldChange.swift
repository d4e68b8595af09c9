import Declarations
import JSON

/// One difference between W&B and the declaration, at a JSON pointer of the normalised form.
public struct FieldChange: Sendable, Codable, Equatable {
    public var path: String
    /// `nil` when the field is new.
    public var before: JSONValue?
    /// `nil` when the field goes away.
    public var after: JSONValue?

    public init(path: String, before: JSONValue?, after: JSONValue?) {
        self.path = path
        self.before = before
        self.after = after
    }

    /// Every difference between two values, deepest first where both are objects.
    public static func diff(_ before: JSONValue?, _ after: JSONValue?, at path: JSONPointer = .root) -> [FieldChange] {
        // Equality compares numbers by value, so `1` and `1.0` are no change.
        if let before, let after, before == after { return [] }
        if case .object(let old)? = before, case .object(let new)? = after {
            return Set(old.keys).union(new.keys).sorted().flatMap { diff(old[$0], new[$0], at: path.appending($0)) }
        }
        if before == nil, after == nil { return [] }
        return [FieldChange(path: path.description, before: before, after: after)]
    }
}
