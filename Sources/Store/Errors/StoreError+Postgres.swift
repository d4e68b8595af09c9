import Foundation
import PostgresNIO

extension StoreError {
    /// Turns a PostgresNIO / NIO error into a ``StoreError`` with a readable message.
    ///
    /// Connection failures name the host and port and the reason ("connection refused"); server errors carry
    /// their SQLSTATE and message. `PSQLError.description` is redacted on purpose, so this reads `serverInfo`.
    static func wrapping(_ error: any Error, database: DatabaseConfiguration, while operation: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
                return wrapping(inner, database: database, while: operation)
            }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                let message = info[.message] ?? "no message"
                switch state {
                case "28P01", "28000":
                    return .init(
                        code: .authenticationFailed,
                        message: "PostgreSQL at \(database.endpoint) refused user '\(database.username)': \(message)")
                case "3D000":
                    return .init(
                        code: .databaseNotFound,
                        message: "database '\(database.database)' does not exist on PostgreSQL at \(database.endpoint)")
                default:
                    var text = "\(operation) failed: \(message) (SQLSTATE \(state))"
                    if let detail = info[.detail] { text += "; \(detail)" }
                    return .init(code: .database, message: text)
                }
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return .unreachable(host: database.host, port: database.port, reason: describeConnectFailure(error.underlying))
            case .sslUnsupported:
                return .unreachable(
                    host: database.host, port: database.port,
                    reason: "the server does not support TLS but sslmode=\(database.sslMode.rawValue) requires it")
            case .authMechanismRequiresPassword:
                return .init(
                    code: .authenticationFailed,
                    message: "PostgreSQL at \(database.endpoint) wants a password for user '\(database.username)' and none was given")
            default:
                return .init(code: .database, message: "\(operation) failed: PostgreSQL client error \(error.code)")
            }
        }
        if error is CancellationError {
            return .init(code: .database, message: "\(operation) was cancelled")
        }
        let typeName = String(describing: type(of: error))
        if typeName.contains("ConnectionPoolError") {
            return .unreachable(host: database.host, port: database.port, reason: "no connection could be opened (\(error))")
        }
        return .init(code: .database, message: "\(operation) failed: \(typeName)")
    }

    /// A short reason for a failed connection attempt, e.g. "connection refused".
    static func describeConnectFailure(_ error: (any Error)?) -> String {
        guard let error else { return "the connection was closed" }
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first {
                return describeConnectFailure(first.error)
            }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return "the host name could not be resolved"
            }
            return "no address to connect to"
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout(let timeout):
                return "no answer within \(timeout.nanoseconds / 1_000_000) ms"
            default:
                return "\(channel)"
            }
        }
        if let psql = error as? PSQLError {
            return describeConnectFailure(psql.underlying)
        }
        if error is NIOSSLError {
            return "TLS handshake failed"
        }
        let text = "\(error)"
        return text.count < 200 ? text : String(describing: type(of: error))
    }
}
