import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Requires a bearer token with at least ``required`` role: 401 without a valid one, 403 with too small a role.
///
/// The secret is verified through the store (only its SHA-256 is stored; the comparison happens in SQL).
/// For the HTML status page, a `launchq_token` cookie is accepted in place of the header.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = AdminRequestContext

    public let verifier: any TokenVerifier
    public let required: TokenRole
    /// Whether the `launchq_token` cookie may carry the token (the status page only).
    public var allowCookie = false

    public init(verifier: any TokenVerifier, required: TokenRole, allowCookie: Bool = false) {
        self.verifier = verifier
        self.required = required
        self.allowCookie = allowCookie
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let secret = Self.secret(in: request, allowCookie: allowCookie) else {
            throw APIError.unauthorized("an Authorization: Bearer <token> header is required")
        }
        let verifier = self.verifier
        guard let token = try await Deadline.run(operation: { try await verifier.verify(secret: secret) }) else {
            throw APIError.unauthorized("the bearer token is unknown or revoked")
        }
        guard token.role.allows(required) else {
            throw APIError(
                .forbidden, status: .forbidden,
                message: "token '\(token.name)' has role \(token.role.rawValue); this endpoint needs \(required.rawValue)")
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }

    /// The bearer secret from `Authorization` (scheme matched case-insensitively), else from the cookie.
    static func secret(in request: Request, allowCookie: Bool) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            let secret = parts[1].trimmingCharacters(in: .whitespaces)
            return secret.isEmpty ? nil : secret
        }
        guard allowCookie, let cookie = request.cookies[StatusPageCookie.name]?.value, !cookie.isEmpty else { return nil }
        return cookie
    }
}

/// The cookie that carries a viewer token for the HTML status page.
enum StatusPageCookie {
    static let name = "launchq_token"
}
