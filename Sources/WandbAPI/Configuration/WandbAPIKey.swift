import Foundation

/// A W&B API key. Its `description`, `debugDescription` and reflection never show the secret,
/// so a key can sit inside configurations and errors that get logged.
public struct WandbAPIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself; read it only to build the `Authorization` header.
    public let secret: String

    /// Wraps a key, trimming surrounding whitespace (key files usually end with a newline).
    /// - Throws: ``WandbAPIError`` with code `configuration` when the key is empty or contains
    ///   whitespace or control characters inside (it would break the `Authorization` header).
    public init(_ secret: String) throws {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw WandbAPIError(code: .configuration, message: "the W&B API key is empty")
        }
        let unsafe = trimmed.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
        guard !unsafe else {
            throw WandbAPIError(code: .configuration, message: "the W&B API key contains whitespace or control characters")
        }
        self.secret = trimmed
    }

    /// `Basic base64("api:" + key)`, the scheme the W&B SDK uses.
    public var authorizationHeaderValue: String {
        "Basic " + Data("api:\(secret)".utf8).base64EncodedString()
    }

    public var description: String { "WandbAPIKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["secret": "<redacted>"]) }
}
