import Foundation

extension Plan {
    /// Reads a plan saved by `launchq plan --out` (its JSON document).
    /// - Throws: ``SavedPlanError`` when the bytes are not a plan, or are a plan of another format: a plan made by
    ///   an older or newer launchq is refused before its steps are read, with what to do about it.
    public static func read(saved data: Data) throws(SavedPlanError) -> Plan {
        struct Header: Decodable {
            var formatVersion: Int?
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw SavedPlanError(.notAPlan, "not a launchq plan: \(error)")
        }
        guard let version = header.formatVersion else { throw SavedPlanError(.notAPlan, "not a launchq plan: it has no formatVersion") }
        if version < formatVersion {
            throw SavedPlanError(
                .olderFormat,
                "the plan was made by an older launchq (plan format \(version); this launchq reads format \(formatVersion)): run launchq plan again")
        }
        if version > formatVersion {
            throw SavedPlanError(
                .newerFormat,
                "the plan was made by a newer launchq (plan format \(version); this launchq reads format \(formatVersion)): "
                    + "apply it with that launchq, or run launchq plan again")
        }
        do {
            return try JSONDecoder().decode(Plan.self, from: data)
        } catch {
            throw SavedPlanError(.notAPlan, "not a launchq plan of format \(formatVersion): \(error)")
        }
    }
}

/// Why a saved plan cannot be applied.
public struct SavedPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable {
        /// The bytes are not a plan document.
        case notAPlan = "not_a_plan"
        /// A plan of an earlier format: plan again.
        case olderFormat = "older_plan_format"
        /// A plan of a later format: use the launchq that made it, or plan again.
        case newerFormat = "newer_plan_format"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
