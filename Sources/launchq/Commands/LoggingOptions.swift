import AdminServer
import ArgumentParser
import Foundation
import Logging
import Synchronization

/// `--log-format text|json` and `--log-level LEVEL` of the long-running commands (`serve`, `dev`); the other
/// commands take the same settings from `LAUNCHQ_LOG_FORMAT` and `LAUNCHQ_LOG_LEVEL` only.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp("Log lines as text or json, one object per line (default: $LAUNCHQ_LOG_FORMAT or text).", valueName: "format"))
    var format: LogFormat?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: $LAUNCHQ_LOG_LEVEL or info).", valueName: "level"))
    var level: Logger.Level?

    /// Makes these settings (flag > environment > default) the ones every logger created from now on uses;
    /// `minimum`, when given, lowers the level to at most it (`dev --verbose`). Returns the level.
    @discardableResult
    func apply(atMost minimum: Logger.Level? = nil) -> Logger.Level {
        var settings = LogSetup.current
        if let format { settings.format = format }
        if let level { settings.level = level }
        if let minimum { settings.level = min(settings.level, minimum) }
        LogSetup.current = settings
        return settings.level
    }
}

/// The process's logging: bootstrapped once (in `Launchq.main`) from `LAUNCHQ_LOG_FORMAT` and `LAUNCHQ_LOG_LEVEL`;
/// `serve` and `dev` change the settings from their flags before they create their loggers.
enum LogSetup {
    struct Settings: Sendable {
        var format: LogFormat = .text
        var level: Logger.Level = .info
    }

    private static let settings = Mutex(Settings())

    /// The settings new loggers get.
    static var current: Settings {
        get { settings.withLock { $0 } }
        set { settings.withLock { $0 = newValue } }
    }

    /// The settings from the environment.
    static func settings(from environment: [String: String]) throws(SettingsError) -> Settings {
        var settings = Settings()
        if let text = environment["LAUNCHQ_LOG_FORMAT"], !text.isEmpty {
            guard let format = LogFormat(rawValue: text) else {
                throw SettingsError(.invalid, "LAUNCHQ_LOG_FORMAT must be text or json, got '\(text)'")
            }
            settings.format = format
        }
        if let text = environment["LAUNCHQ_LOG_LEVEL"], !text.isEmpty {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw SettingsError(.invalid, "LAUNCHQ_LOG_LEVEL must be one of \(levels), got '\(text)'")
            }
            settings.level = level
        }
        return settings
    }

    /// Installs the handler factory (text: swift-log's stream handler; json: ``JSONLogHandler``), both on standard error.
    static func bootstrap(_ initial: Settings) {
        current = initial
        LoggingSystem.bootstrap { label in
            let settings = current
            switch settings.format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.level
                return handler
            case .json:
                return JSONLogHandler(label: label, level: settings.level)
            }
        }
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
