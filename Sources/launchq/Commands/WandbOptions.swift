import ArgumentParser
import Foundation
import Logging
import WandbAPI

/// The W&B connection options shared by every command that talks to W&B
/// (`@OptionGroup var wandb: WandbOptions`).
///
/// Each setting comes from its flag, else its environment variable, else it is an error.
/// The API key is never a flag (it would show in `ps`): it comes from
/// `--wandb-api-key-file`, `WANDB_API_KEY` or the file named by `WANDB_API_KEY_FILE`.
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

    @Option(
        name: .customLong("wandb-batch-size"),
        help: ArgumentHelp(
            "Entities (or user lookups) per W&B read request; halved automatically when a batch times out, gets a 5xx or is "
                + "too complex (default: $LAUNCHQ_WANDB_BATCH_SIZE, else 25).",
            valueName: "n")
    )
    var batchSize: Int?

    /// The largest batch accepted (a request of 100 entities already holds 300 root fields).
    static let maximumBatchSize = 100

    /// The client settings, resolved flag > environment (`WANDB_API_KEY_FILE` read into `WANDB_API_KEY`).
    /// - Throws: ``SettingsError`` naming the missing or bad setting (exit status 1; never the key).
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WandbClient.Configuration
    {
        var configuration: WandbClient.Configuration
        do {
            configuration = try WandbClient.Configuration.resolve(
                urlFlag: wandbURL, apiKeyFile: apiKeyFile, environment: try SecretFileSetting.resolve(environment))
        } catch let error as WandbAPIError {
            throw SettingsError(.invalid, error.message)
        }
        configuration.batchSize = try resolvedBatchSize(environment: environment)
        return configuration
    }

    /// `--wandb-batch-size`, else `LAUNCHQ_WANDB_BATCH_SIZE`, else 25; from 1 to ``maximumBatchSize``.
    func resolvedBatchSize(environment: [String: String]) throws -> Int {
        if let batchSize {
            guard (1...Self.maximumBatchSize).contains(batchSize) else {
                throw ValidationError("--wandb-batch-size must be a whole number from 1 to \(Self.maximumBatchSize)")
            }
            return batchSize
        }
        guard let text = environment["LAUNCHQ_WANDB_BATCH_SIZE"], !text.isEmpty else { return 25 }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1...Self.maximumBatchSize).contains(value) else {
            throw SettingsError(.invalid, "LAUNCHQ_WANDB_BATCH_SIZE must be a whole number from 1 to \(Self.maximumBatchSize)")
        }
        return value
    }

    /// A client on the shared HTTP client.
    func makeClient(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WandbClient
    {
        WandbClient(configuration: try configuration(environment: environment), logger: logger)
    }
}
