/// Admin API tokens: created with a secret shown once, verified by hash, revoked by name.
public protocol TokenRepository: Sendable {
    /// Creates a token; the returned ``IssuedToken/secret`` is the only copy. Throws
    /// ``StoreError/Code/tokenNameTaken`` when an active token has that name.
    func create(name: String, role: TokenRole) async throws -> IssuedToken
    /// The active token with this secret, or `nil` for an unknown or revoked secret. Records its use in
    /// `lastUsedAt` (at most once a minute per token, and only when the check reaches the database: see ``TokenCache``).
    func verify(secret: String) async throws -> APIToken?
    /// Tokens by name (active ones, or all with `includeRevoked`).
    func list(includeRevoked: Bool) async throws -> [APIToken]
    /// Revokes the active token named `name` and announces it to every replica's ``TokenCache``; throws ``StoreError/Code/tokenNotFound`` if there is none.
    @discardableResult
    func revoke(name: String) async throws -> APIToken
}
