import Foundation
import Store

extension TokenCommand.List {
    /// The `token list --format json` document (stable; README): `{"tokens": [...]}`, oldest first, never a secret.
    struct Document: Encodable {
        struct Token: Encodable {
            var name: String
            /// `viewer` or `admin`.
            var role: String
            /// `active` or `revoked`.
            var status: String
            /// UTC, ISO 8601 to the second: `2026-11-30T15:04:05Z`.
            var createdAt: String
            /// Absent when never used.
            var lastUsedAt: String?
            /// Absent while active.
            var revokedAt: String?

            init(_ token: APIToken) {
                name = token.name
                role = token.role.rawValue
                status = token.revokedAt == nil ? "active" : "revoked"
                createdAt = Self.format(token.createdAt)
                lastUsedAt = token.lastUsedAt.map(Self.format)
                revokedAt = token.revokedAt.map(Self.format)
            }

            static func format(_ date: Date) -> String {
                date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
            }
        }

        var tokens: [Token]
    }
}
