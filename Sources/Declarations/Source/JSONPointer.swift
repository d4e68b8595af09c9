import Foundation

/// An RFC 6901 JSON pointer into a document, e.g. `/resource_config/spec/containers/0`.
public struct JSONPointer: Hashable, Sendable, Encodable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public private(set) var tokens: [String]

    public init(_ tokens: [String] = []) { self.tokens = tokens }

    /// The document root, `""`.
    public static let root = JSONPointer()

    /// This pointer extended by a mapping key.
    public func appending(_ key: String) -> JSONPointer {
        var copy = self
        copy.tokens.append(key)
        return copy
    }

    /// This pointer extended by a sequence index.
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    /// The escaped form: `~` as `~0`, `/` as `~1`.
    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
