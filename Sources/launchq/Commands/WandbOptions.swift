import ArgumentParser
import Foundation
import Logging
import WandbAPI

/// The W&B connection options shared by every command that talks to W&B
/// (`@OptionGroup var wandb: WandbOptions`).
///
/// Each setting comes from its flag, else its environment variable, else it is an error.
/// The API key is never a flag (it would show in `ps`): it comes from
/// `--wandb-api-key-file` or `WANDB_API_KEY`.
struct WandbOptions: ParsableArguments {
    @Option(
        name: .customLong("wandb-url"),
        help: ArgumentHelp("The W&B server, e.g. https://api.wandb.ai (default: $WANDB_BASE_URL).", valueName: "url")
    )
    var wandbURL: String?

    @Option(
        name: .customLong("wandb-api-key-file"),
        help: ArgumentHelp("A file holding the W&B API key (default: $WANDB_API_KEY).", valueName: "path")
    )
    var apiKeyFile: String?

    /// The client settings, resolved flag > environment.
    /// - Throws: `ValidationError` naming the missing or bad setting (exit status 64 via
    ///   ArgumentParser's usage handling).
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WandbClient.Configuration
    {
        do {
            return try WandbClient.Configuration.resolve(urlFlag: wandbURL, apiKeyFile: apiKeyFile, environment: environment)
        } catch let error as WandbAPIError {
            throw ValidationError(error.message)
        }
    }

    /// A client on the shared HTTP client.
    func makeClient(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WandbClient
    {
        WandbClient(configuration: try configuration(environment: environment), logger: logger)
    }
}
