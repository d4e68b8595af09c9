import Planning
import Reconciler
import Synchronization

/// Wraps the store recorder so a run can stop between steps: once ``drain`` is set (SIGTERM), steps not yet
/// started are not attempted (recorded as skipped), while a step already writing finishes and is recorded.
/// Steps of objects in backoff are not attempted and not recorded (their failed status stays as it was).
final class GuardedRecorder: ApplyRecorder {
    /// Why a step was not attempted.
    enum NotAttempted: Error, CustomStringConvertible {
        case draining
        case backingOff(Duration)

        var description: String {
            switch self {
            case .draining: "not attempted: launchq serve was shutting down"
            case .backingOff(let wait): "not attempted: backing off after repeated failures (next attempt in \(wait.formatted()))"
            }
        }
    }

    let inner: (any ApplyRecorder)?
    let drain: DrainSignal
    let deferred: @Sendable (String) -> Duration?
    let finished: @Sendable (PlanStep, StepOutcome) -> Void
    private let held = Mutex<[String: NotAttempted]>([:])

    init(
        inner: (any ApplyRecorder)?, drain: DrainSignal, deferred: @escaping @Sendable (String) -> Duration?,
        finished: @escaping @Sendable (PlanStep, StepOutcome) -> Void
    ) {
        self.inner = inner
        self.drain = drain
        self.deferred = deferred
        self.finished = finished
    }

    func willApply(_ step: PlanStep) async throws {
        let reason: NotAttempted? = if drain.isSet { .draining } else { deferred(step.id).map(NotAttempted.backingOff) }
        if let reason {
            held.withLock { $0[step.id] = reason }
            throw reason
        }
        try await inner?.willApply(step)
    }

    func didApply(_ step: PlanStep, outcome: StepOutcome) async throws {
        switch held.withLock({ $0.removeValue(forKey: step.id) }) {
        case .backingOff:
            finished(step, StepOutcome(.skipped("backing off")))
        case .draining:
            let skipped = StepOutcome(.skipped(NotAttempted.draining.description))
            finished(step, skipped)
            try await inner?.didApply(step, outcome: skipped)
        case nil:
            finished(step, outcome)
            try await inner?.didApply(step, outcome: outcome)
        }
    }
}

/// Set once when the service is asked to stop; read by running applies between steps.
public final class DrainSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { flag.load(ordering: .acquiring) }
    public func set() { flag.store(true, ordering: .releasing) }
}

extension Duration {
    /// `12s`, `1m30s`.
    func formatted() -> String {
        let seconds = Int(components.seconds)
        if seconds < 60 { return "\(seconds)s" }
        return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
    }
}
