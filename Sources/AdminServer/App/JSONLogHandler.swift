import Foundation
import JSON
import Logging
import Synchronization

/// How `launchq` writes its log: `text` (swift-log's one-line format, for people) or `json` (one JSON object per
/// line, for log collectors). Both go to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// A log handler writing one JSON object per line to standard error:
/// `{"label":"launchq.serve","level":"info","message":"…","time":"2026-11-30T15:04:05.123Z", …metadata}`.
///
/// Metadata keys are top-level fields (a key that collides with one of the five above is written as `metadata.<key>`);
/// nested metadata becomes JSON arrays and objects. Keys are sorted, so lines are stable for a given record.
public struct JSONLogHandler: LogHandler {
    /// The fields every line has.
    public static let fixedFields: Set<String> = ["time", "level", "label", "message", "source"]

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` at `level`; `write` receives each line without its newline (default: standard error).
    public init(
        label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardError
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(Self.line(event, label: label, metadata: metadata, provider: metadataProvider))
    }

    /// The JSON text of one record (no newline).
    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata, provider: Logger.MetadataProvider?) -> String {
        var merged = metadata
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var fields: [String: JSONValue] = [
            "time": .string(Self.timestamp(Date())),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
            "source": .string(event.source),
        ]
        for (key, value) in merged {
            fields[fixedFields.contains(key) ? "metadata.\(key)" : key] = json(value)
        }
        return CanonicalJSON.string(.object(fields))
    }

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }

    /// UTC, milliseconds: `2026-11-30T15:04:05.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    private static let writeLock = Mutex(())

    /// Writes `line` and a newline to standard error in one call, one line at a time.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        writeLock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
