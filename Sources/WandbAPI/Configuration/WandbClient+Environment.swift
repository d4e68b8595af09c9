import Foundation

extension WandbClient.Configuration {
    /// Builds a configuration the way the CLI takes its settings: the flag wins over the
    /// environment, and a missing setting is an error (the key is never a flag).
    ///
    /// - URL: `urlFlag` (`--wandb-url`), else `WANDB_BASE_URL`.
    /// - Key: the file `apiKeyFile` (`--wandb-api-key-file`), else `WANDB_API_KEY`.
    /// - Also reads `WANDB_USERNAME` and `WANDB_USER_EMAIL` for the SDK's identity headers.
    /// - Throws: ``WandbAPIError`` `configuration` saying which setting is missing or bad.
    public static func resolve(
        urlFlag: String?,
        apiKeyFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> WandbClient.Configuration {
        let url: String
        if let urlFlag, !urlFlag.isEmpty {
            url = urlFlag
        } else if let fromEnvironment = environment["WANDB_BASE_URL"], !fromEnvironment.isEmpty {
            url = fromEnvironment
        } else {
            throw WandbAPIError(
                code: .configuration,
                message: "no W&B server: pass --wandb-url or set WANDB_BASE_URL"
            )
        }

        let key: WandbAPIKey
        if let apiKeyFile, !apiKeyFile.isEmpty {
            let contents: String
            do {
                contents = try String(contentsOfFile: apiKeyFile, encoding: .utf8)
            } catch {
                throw WandbAPIError(
                    code: .configuration,
                    message: "cannot read the W&B API key file \(apiKeyFile) (--wandb-api-key-file)"
                )
            }
            do {
                key = try WandbAPIKey(contents)
            } catch let error as WandbAPIError {
                throw WandbAPIError(code: .configuration, message: "\(error.message) (file \(apiKeyFile))")
            }
        } else if let fromEnvironment = environment["WANDB_API_KEY"] {
            do {
                key = try WandbAPIKey(fromEnvironment)
            } catch let error as WandbAPIError {
                throw WandbAPIError(code: .configuration, message: "\(error.message) (WANDB_API_KEY)")
            }
        } else {
            throw WandbAPIError(
                code: .configuration,
                message: "no W&B API key: set WANDB_API_KEY or pass --wandb-api-key-file"
            )
        }

        var configuration = try WandbClient.Configuration(baseURL: url, apiKey: key)
        configuration.username = environment["WANDB_USERNAME"] ?? ""
        configuration.userEmail = environment["WANDB_USER_EMAIL"] ?? ""
        return configuration
    }
}
