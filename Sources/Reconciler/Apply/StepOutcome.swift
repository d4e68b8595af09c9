import Planning

/// What happened to one step during apply.
public struct StepOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case succeeded
        case failed(String)
        /// Not attempted: a step it depends on did not succeed, or it is not a change.
        case skipped(String)
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

/// Records what apply does: before each write and after it (the store's events and object status).
public protocol ApplyRecorder: Sendable {
    func willApply(_ step: PlanStep) async throws
    func didApply(_ step: PlanStep, outcome: StepOutcome) async throws
}

/// Shows apply's progress (a terminal line per step).
public protocol ApplyProgress: Sendable {
    func stepFinished(_ step: PlanStep, outcome: StepOutcome, done: Int, total: Int)
}

/// The outcome of applying one plan.
public struct ApplyReport: Sendable {
    /// Outcomes by step id, for the steps apply acted on (writes, and the ones it skipped).
    public var outcomes: [String: StepOutcome] = [:]

    public init() {}

    public var succeeded: Int { outcomes.values.count { $0.succeeded } }
    public var failed: Int { outcomes.values.count { if case .failed = $0.status { true } else { false } } }
    public var skipped: Int { outcomes.values.count { if case .skipped = $0.status { true } else { false } } }
}
