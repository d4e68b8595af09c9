import Declarations
import Hummingbird
import JSON
import Logging
import NIOCore
import Store

/// Turns every error into the `{"error": {"code", "message", "details"}}` envelope with the right status.
///
/// ``APIError``s pass through; Hummingbird's own errors (404, 405, 413) and store errors are mapped;
/// anything else is a 500 whose message carries no internals (the full error goes to the log).
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AdminRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router answers 404 for a known path with another method: that is a 405 with `Allow`.
            let allowed = Self.allowedMethods(path: request.uri.path)
            guard !allowed.isEmpty else { throw Self.map(error, logger: context.logger) }
            let list = allowed.joined(separator: ", ")
            throw APIError(
                .methodNotAllowed, status: .methodNotAllowed, message: "\(request.method) is not allowed on this path; allowed: \(list)",
                details: .object(["allowed": .array(allowed.map(JSONValue.string))]), headers: [.allow: list])
        } catch {
            throw Self.map(error, logger: context.logger)
        }
    }

    /// The methods the API serves on `path` (from the OpenAPI operations, which a test keeps equal to the routes);
    /// `{name}` matches one segment, the last `{id}` of `/v1/objects/{kind}/{id}` one or more.
    static func allowedMethods(path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: Set<String> = []
        for operation in OpenAPIDocument.operations {
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: true)
            let catchAll = operation.path.hasPrefix("/v1/objects/")
            guard catchAll ? segments.count >= template.count : segments.count == template.count else { continue }
            let matches = zip(template, segments).allSatisfy { pattern, segment in pattern.hasPrefix("{") || pattern == segment }
            if matches { methods.insert(operation.method.uppercased()) }
        }
        return methods.sorted()
    }

    static func map(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case is NIOTooManyBytesError:
            return .bodyTooLarge
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound(error.body ?? "no such route")
            case .methodNotAllowed: return APIError(.methodNotAllowed, status: .methodNotAllowed, message: "method not allowed on this path")
            case .contentTooLarge: return .bodyTooLarge
            case .badRequest: return .badRequest(error.body ?? "bad request")
            default: return APIError(.internalError, status: error.status, message: error.body ?? "\(error.status.reasonPhrase)")
            }
        case let error as StoreError:
            return map(error, logger: logger)
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.internalError, status: .internalServerError, message: "internal error; see the server log")
        }
    }

    static func map(_ error: StoreError, logger: Logger) -> APIError {
        switch error.code {
        case .revisionConflict:
            return APIError(
                .revisionConflict, status: .preconditionFailed, message: error.message,
                details: .object(["current": error.currentRevision.map { .integer(Int($0)) } ?? .null]))
        case .revisionNotFound:
            return .notFound(error.message)
        case .invalidRevision:
            return .badRequest(error.message)
        case .unreachable, .authenticationFailed, .databaseNotFound:
            logger.error("database unavailable", metadata: ["error": "\(error.message)"])
            return APIError(.unavailable, status: .serviceUnavailable, message: "the database is unavailable")
        default:
            logger.error("database error", metadata: ["error": "\(error.message)"])
            return APIError(.internalError, status: .internalServerError, message: "database error; see the server log")
        }
    }
}
