/// Who may push to a queue: `PROJECT` or `USER` (GraphQL enum `RunQueueAccessType`).
/// Unknown values from a newer server are kept as they are.
public struct RunQueueAccess: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Anyone in the project (what the SDK always creates).
    public static let project = RunQueueAccess(rawValue: "PROJECT")
    /// Only the creating user (queues made in the UI).
    public static let user = RunQueueAccess(rawValue: "USER")

    public var description: String { rawValue }
}

/// Whether items carry priorities: `DISABLED` or `V0` (GraphQL enum
/// `RunQueuePrioritizationMode`). Unknown values from a newer server are kept as they are.
public struct PrioritizationMode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// No priorities (the upsert default).
    public static let disabled = PrioritizationMode(rawValue: "DISABLED")
    /// Priorities on items; W&B does not allow going back to `DISABLED`.
    public static let v0 = PrioritizationMode(rawValue: "V0")

    public var description: String { rawValue }
}
