import Crypto
import Foundation

/// What a token may do on the admin API.
public enum TokenRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read-only endpoints.
    case viewer
    /// Everything, including writes.
    case admin

    /// Whether this role is enough for an endpoint needing `required`.
    public func allows(_ required: TokenRole) -> Bool {
        self == .admin || required == .viewer
    }
}

/// A stored admin API token (never its secret: only the SHA-256 of it is stored).
public struct APIToken: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var role: TokenRole
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// Set once revoked; a revoked token never verifies again.
    public var revokedAt: Date?

    public init(id: Int64, name: String, role: TokenRole, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// `true` while not revoked.
    public var isActive: Bool { revokedAt == nil }
}

/// A newly created token with its secret: show ``secret`` to the user once, then forget it.
///
/// `description` and `debugDescription` redact the secret so it cannot leak through logging by accident.
public struct IssuedToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let token: APIToken
    /// The bearer secret (`lq_` followed by 64 hex digits).
    public let secret: String

    public init(token: APIToken, secret: String) {
        self.token = token
        self.secret = secret
    }

    public var description: String { "IssuedToken(name: \(token.name), role: \(token.role.rawValue), secret: <redacted>)" }
    public var debugDescription: String { description }
}

/// Generating and hashing token secrets. Pure; uses the system's cryptographic random source.
public enum TokenSecret {
    /// The prefix of every launchq token, so secret scanners can spot them.
    public static let prefix = "lq_"

    /// A new secret: `lq_` and 32 random bytes as hex.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var secret = prefix
        for _ in 0..<32 {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            secret.append(digits[Int(byte >> 4)])
            secret.append(digits[Int(byte & 0x0f)])
        }
        return secret
    }

    /// The value stored in `api_tokens.token_sha256`.
    public static func hash(_ secret: String) -> String { SHA256.hex(secret) }

    /// Checks a token name: 1 to 200 characters, no control characters, not only spaces.
    public static func validate(name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw StoreError(code: .invalidToken, message: "token name must be 1 to 200 characters and not blank")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError(code: .invalidToken, message: "token name must not contain control characters")
        }
    }
}
