import Declarations
import Hummingbird
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
        } catch {
            throw Self.map(error, logger: context.logger)
        }
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
