import Store

/// Checks a bearer secret: the I/O edge of authentication (the store compares hashes in SQL).
public protocol TokenVerifier: Sendable {
    /// The active token with this secret, or `nil`.
    func verify(secret: String) async throws -> APIToken?
}

extension PostgresTokenRepository: TokenVerifier {}
