import Foundation
import Logging
import PostgresNIO

/// ``TokenRepository`` on PostgreSQL (table `api_tokens`, storing only `token_sha256`).
public struct PostgresTokenRepository: TokenRepository {
    let store: PostgresStore

    static let columns = "id, name, role, created_at, last_used_at, revoked_at"

    public func create(name: String, role: TokenRole) async throws -> IssuedToken {
        try TokenSecret.validate(name: name)
        let secret = TokenSecret.generate()
        let hash = TokenSecret.hash(secret)
        let rows: [PostgresRow] = try await store.bounded("creating a token", timeout: nil) { [store] in
            do {
                return try await store.client.query(
                    """
                    INSERT INTO api_tokens (name, role, token_sha256) VALUES (\(name), \(role.rawValue), \(hash))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: store.logger
                ).collect()
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw StoreError(code: .tokenNameTaken, message: "an active token named '\(name)' already exists; revoke it first")
            }
        }
        guard let row = rows.first else {
            throw StoreError(code: .database, message: "creating a token failed: nothing was returned")
        }
        return IssuedToken(token: try Self.decode(row), secret: secret)
    }

    public func verify(secret: String) async throws -> APIToken? {
        guard secret.hasPrefix(TokenSecret.prefix) else { return nil }
        let hash = TokenSecret.hash(secret)
        let cache = store.tokenCache
        if let token = cache.token(forHash: hash) { return token }
        let generation = cache.generationBeforeLookup()
        let token = try await lookUp(hash: hash)
        if let token, let generation { cache.remember(token, hash: hash, generation: generation) }
        return token
    }

    /// The active token with this secret hash, from the database (recording its use).
    func lookUp(hash: String) async throws -> APIToken? {
        let rows = try await store.query(
            "verifying a token",
            // last_used_at is written at most once a minute per token, so busy API clients do not turn reads into writes.
            """
            WITH found AS (
                SELECT id FROM api_tokens WHERE token_sha256 = \(hash) AND revoked_at IS NULL
            ), touched AS (
                UPDATE api_tokens t SET last_used_at = now() FROM found
                WHERE t.id = found.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute')
                RETURNING t.id
            )
            SELECT id, name, role, created_at,
                   CASE WHEN id IN (SELECT id FROM touched) THEN now() ELSE last_used_at END, revoked_at
            FROM api_tokens WHERE id IN (SELECT id FROM found)
            """)
        return try rows.first.map(Self.decode)
    }

    public func list(includeRevoked: Bool) async throws -> [APIToken] {
        let rows = try await store.query(
            "listing tokens",
            """
            SELECT \(unescaped: Self.columns) FROM api_tokens
            WHERE \(includeRevoked) OR revoked_at IS NULL
            ORDER BY name, id
            """)
        return try rows.map(Self.decode)
    }

    @discardableResult
    public func revoke(name: String) async throws -> APIToken {
        let rows = try await store.query(
            "revoking a token",
            """
            WITH revoked AS (
                UPDATE api_tokens SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL
                RETURNING \(unescaped: Self.columns)
            )
            SELECT r.id, r.name, r.role, r.created_at, r.last_used_at, r.revoked_at
            FROM revoked r, LATERAL (SELECT pg_notify(\(ControlChannel.name), \(TokenCache.revokedPrefix) || r.id)) AS announced
            """)
        guard let row = rows.first else {
            throw StoreError(code: .tokenNotFound, message: "no active token named '\(name)'")
        }
        let token = try Self.decode(row)
        // Every replica's cache (this one's too, through its listener) forgets it when the notification arrives;
        // this process forgets it now, listening or not.
        store.tokenCache.revoked(id: token.id)
        return token
    }

    static func decode(_ row: PostgresRow) throws -> APIToken {
        let (id, name, role, createdAt, lastUsedAt, revokedAt) = try row.decode((Int64, String, String, Date, Date?, Date?).self)
        guard let tokenRole = TokenRole(rawValue: role) else {
            throw StoreError(code: .database, message: "token '\(name)' has unknown role '\(role)'")
        }
        return APIToken(id: id, name: name, role: tokenRole, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}
