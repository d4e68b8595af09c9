import Declarations
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore

/// An admin API error: a stable ``Code``, an HTTP status, a message safe to show, and optional details.
///
/// Rendered as `{"error": {"code": "...", "message": "...", "details": ...}}`. Compare by ``code``.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// A stable error code; new codes can be added without breaking clients.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unauthorized, forbidden, notFound, methodNotAllowed, badRequest, invalidJSON, invalidBundle, bodyTooLarge
            case revisionConflict, preconditionRequired, unavailable, wandbFailed, internalError, badSignature, noSource
            case unsupportedMediaType, sourceManaged
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// No bearer token, or one that is unknown or revoked (401).
        public static let unauthorized = Self(.unauthorized)
        /// The token's role is too small for this endpoint (403).
        public static let forbidden = Self(.forbidden)
        /// No such object, revision or route (404).
        public static let notFound = Self(.notFound)
        /// The route exists with other methods (405).
        public static let methodNotAllowed = Self(.methodNotAllowed)
        /// A query parameter or header is wrong (400).
        public static let badRequest = Self(.badRequest)
        /// The body is not valid JSON or not the expected shape; `details` says where (400).
        public static let invalidJSON = Self(.invalidJSON)
        /// The declarations are invalid; `details.diagnostics` lists every finding (400).
        public static let invalidBundle = Self(.invalidBundle)
        /// The body is over the 4 MiB limit (413).
        public static let bodyTooLarge = Self(.bodyTooLarge)
        /// The body's `Content-Type` is not JSON (415).
        public static let unsupportedMediaType = Self(.unsupportedMediaType)
        /// `If-Match` names a revision that is no longer current (412).
        public static let revisionConflict = Self(.revisionConflict)
        /// `If-Match` is missing or not a revision number (428).
        public static let preconditionRequired = Self(.preconditionRequired)
        /// The database (or another dependency) cannot be reached now (503).
        public static let unavailable = Self(.unavailable)
        /// W&B could not be read (502).
        public static let wandbFailed = Self(.wandbFailed)
        /// Anything else; the message carries no internals (500).
        public static let internalError = Self(.internalError)
        /// A webhook without a valid `X-Hub-Signature-256` (401).
        public static let badSignature = Self(.badSignature)
        /// The service has no git source to pull (404).
        public static let noSource = Self(.noSource)
        /// The service reads its desired state from a `--source`; pushes are refused (409), `details.source` names it.
        public static let sourceManaged = Self(.sourceManaged)

        public var description: String {
            // snake_case on the wire: `invalid_json`, `revision_conflict`.
            var text = ""
            var previousWasUpper = false
            for character in base.rawValue {
                if character.isUppercase, !previousWasUpper { text += "_" }
                previousWasUpper = character.isUppercase
                text += character.lowercased()
            }
            return text
        }
    }

    public var code: Code
    public var status: HTTPResponse.Status
    public var message: String
    public var details: JSONValue?
    /// Extra response headers (`WWW-Authenticate`, `ETag`).
    public var headers: HTTPFields

    public init(_ code: Code, status: HTTPResponse.Status, message: String, details: JSONValue? = nil, headers: HTTPFields = [:]) {
        self.code = code
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["code": .string(code.description), "message": .string(message)]
        body["details"] = details ?? .null
        let text = CanonicalJSON.string(.object(["error": .object(body)]))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension APIError {
    static func unauthorized(_ message: String) -> Self {
        .init(.unauthorized, status: .unauthorized, message: message, headers: [.wwwAuthenticate: "Bearer realm=\"launchq\""])
    }

    static func notFound(_ message: String) -> Self { .init(.notFound, status: .notFound, message: message) }

    static func badRequest(_ message: String, details: JSONValue? = nil) -> Self {
        .init(.badRequest, status: .badRequest, message: message, details: details)
    }

    static var bodyTooLarge: Self {
        .init(
            .bodyTooLarge, status: .contentTooLarge, message: "request body is over the \(AdminServer.Configuration.maximumBodySize)-byte limit",
            details: .object(["limit": .integer(AdminServer.Configuration.maximumBodySize)]))
    }
}
