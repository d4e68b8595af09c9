import Foundation
import Logging
import PostgresNIO

/// Where and how to reach PostgreSQL, parsed from a `postgres://` URL (`--database-url` / `DATABASE_URL`).
///
/// ```swift
/// let config = try DatabaseConfiguration(url: "postgres://launchq:secret@db:5432/launchq?sslmode=require")
/// print(config)   // postgres://launchq:***@db:5432/launchq?sslmode=require  (never the password)
/// ```
public struct DatabaseConfiguration: Sendable, CustomStringConvertible {
    /// How TLS is negotiated, named after libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS if the server offers it, otherwise plain TCP (libpq's default), without certificate checks.
        case prefer
        /// TLS or fail, without certificate checks (libpq semantics of `require`).
        case require
        /// TLS or fail; the certificate chain must be trusted, the host name is not checked.
        case verifyCA = "verify-ca"
        /// TLS or fail; the certificate chain must be trusted and match the host name.
        case verifyFull = "verify-full"
    }

    /// Pool settings passed to `PostgresClient`.
    public struct Pool: Sendable {
        /// Upper bound of open connections. Default 10.
        public var maximumConnections: Int = 10
        /// How long to wait for a TCP connection and the startup handshake. Default 10 s.
        public var connectTimeout: Duration = .seconds(10)
        /// The longest any one database operation (a query or a transaction, including the wait for a pooled
        /// connection) may take before it fails with ``StoreError/Code/unreachable``. Default 10 s.
        ///
        /// The pool queues requests while it cannot connect and retries for up to a minute; without this limit a
        /// caller could wait that long or, in some driver states, forever.
        public var operationTimeout: Duration = .seconds(10)
        /// How long a connection may sit idle in the pool before it is closed. Default 5 s; the pool sends no
        /// keep-alive queries.
        ///
        /// Short on purpose (issue 13): every time a connection goes back to the pool, the pool starts an idle timer
        /// (and, with keep-alives, a second one); the next query cancels it, but on Linux a cancelled `Task.sleep`
        /// keeps its timer and task until its deadline. With PostgresNIO's defaults (60 s idle, 30 s keep-alive) a
        /// 10,000-queue reconcile, tens of thousands of queries a minute, held ~46 MB of such timers at its peak.
        public var idleTimeout: Duration = .seconds(5)
        public init() {}
    }

    /// Server host name or address.
    public var host: String
    /// Server port. Default 5432.
    public var port: Int
    /// Role to log in as.
    public var username: String
    /// Password, if any. Never printed.
    public var password: String?
    /// Database name. Defaults to the user name, like libpq.
    public var database: String
    /// TLS negotiation. Default ``SSLMode/prefer``.
    public var sslMode: SSLMode
    /// Connection pool settings.
    public var pool: Pool = .init()

    /// Creates a configuration from parts.
    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil, sslMode: SSLMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database ?? username
        self.sslMode = sslMode
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-ca|verify-full`.
    ///
    /// User name, password and database may be percent-encoded. Throws ``StoreError`` with code
    /// ``StoreError/Code/invalidDatabaseURL`` saying what is wrong; the message never contains the password.
    public init(url: String) throws {
        let text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.invalidDatabaseURL("it is empty") }
        guard let components = URLComponents(string: text) else {
            throw StoreError.invalidDatabaseURL("it cannot be parsed as a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw StoreError.invalidDatabaseURL("the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidDatabaseURL("it names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidDatabaseURL("it names no user (postgres://USER@\(host)/...)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw StoreError.invalidDatabaseURL("port \(port) is out of range")
        }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        if database.contains("/") { throw StoreError.invalidDatabaseURL("the path must be a single database name") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                let value = item.value ?? ""
                if value == "allow" {
                    sslMode = .prefer
                } else if let mode = SSLMode(rawValue: value) {
                    sslMode = mode
                } else {
                    throw StoreError.invalidDatabaseURL(
                        "sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            default:
                throw StoreError.invalidDatabaseURL("unsupported parameter '\(item.name)' (only sslmode is understood)")
            }
        }
        self.init(
            host: host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host,
            port: components.port ?? 5432,
            username: user,
            password: components.password,
            database: database.isEmpty ? nil : database,
            sslMode: sslMode
        )
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        return "postgres://\(credentials)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// `host:port`, as used in error messages.
    public var endpoint: String { "\(host):\(port)" }

    /// The configuration for a pooled `PostgresClient`.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(tlsConfiguration())
        case .require, .verifyCA, .verifyFull: tls = .require(tlsConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = pool.maximumConnections
        configuration.options.connectTimeout = pool.connectTimeout
        configuration.options.connectionIdleTimeout = pool.idleTimeout
        configuration.options.keepAliveBehavior = nil
        return configuration
    }

    /// The configuration for one unpooled `PostgresConnection` (used for the reachability check).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
        case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .init(pool.connectTimeout)
        return configuration
    }

    private func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }
}

extension DatabaseConfiguration {
    /// Reads the URL from `explicit` (a `--database-url` flag) or else the `DATABASE_URL` environment variable.
    ///
    /// Throws ``StoreError/Code/invalidDatabaseURL`` when neither is set.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self {
        if let explicit, !explicit.isEmpty { return try Self(url: explicit) }
        if let fromEnvironment = environment["DATABASE_URL"], !fromEnvironment.isEmpty { return try Self(url: fromEnvironment) }
        throw StoreError(
            code: .invalidDatabaseURL,
            message: "no database configured: pass --database-url postgres://user:password@host:port/database or set DATABASE_URL")
    }
}
