import ArgumentParser
import Foundation
import Logging
import Store

/// The `--database-url` option shared by commands that use PostgreSQL (falls back to `DATABASE_URL`).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL: postgres://user:password@host:port/database[?sslmode=disable|prefer|require]. Default: $DATABASE_URL.",
            valueName: "url"))
    var databaseURL: String?

    /// The parsed settings; throws a `StoreError` saying what is missing or wrong (never echoing the password).
    func configuration() throws -> DatabaseConfiguration {
        try DatabaseConfiguration.resolve(explicit: databaseURL, environment: try SecretFileSetting.environment)
    }

    /// Runs `body` with a connected store; a `StoreError` is printed as `launchq <command>: <message>` on
    /// standard error and turned into exit status 1.
    func withStore<Result: Sendable>(
        command: String,
        _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "launchq.\(command)")
        logger.logLevel = .error
        do {
            return try await PostgresStore.withStore(try configuration(), logger: logger, body)
        } catch let error as StoreError {
            Self.printError("launchq \(command): \(error.message)")
            throw ExitCode(1)
        }
    }
}

extension DatabaseOptions {
    /// Writes one line to standard error.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
