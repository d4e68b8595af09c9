import Planning

/// What happened to one step during apply.
public struct StepOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case succeeded
        case failed(String)
        /// Not attempted: a step it depends on did not succeed, or the run was stopping; recorded.
        case skipped(String)
        /// Not attempted and not recorded: the run's gate held it back (an object backing off after failures).
        case deferred(String)
    }

    public var status: Status
    /// Warnings from W&B, such as `configSchemaValidationErrors`.
    public var warnings: [String]

    public init(_ status: Status, warnings: [String] = []) {
        self.status = status
        self.warnings = warnings
    }

    public var succeeded: Bool { status == .succeeded }
}

/// Shows apply's progress (a terminal line per step).
public protocol ApplyProgress: Sendable {
    func stepFinished(_ step: PlanStep, outcome: StepOutcome, done: Int, total: Int)
}

/// The outcome of applying one plan.
public struct ApplyReport: Sendable {
    /// Outcomes by step id, for the steps apply acted on (writes, and the ones it skipped or deferred).
    public var outcomes: [String: StepOutcome] = [:]

    public init() {}

    public var succeeded: Int { outcomes.values.count { $0.succeeded } }
    public var failed: Int { outcomes.values.count { if case .failed = $0.status { true } else { false } } }
    public var skipped: Int { outcomes.values.count { if case .skipped = $0.status { true } else { false } } }
    public var deferred: Int { outcomes.values.count { if case .deferred = $0.status { true } else { false } } }
}
