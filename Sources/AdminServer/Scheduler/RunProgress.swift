import Foundation
import Reconciler
import Synchronization

/// What a running reconcile is doing right now: its phase and the steps in flight, for `GET /v1/status`
/// (`runningSince`, `waitingOn`), the watchdog and the shutdown log. Shared by the scheduler and the run.
public final class RunProgress: Sendable {
    private struct State {
        var phase = "starting"
        /// Step id → what it waits on (`writing to W&B`, `recording its outcome`, ...), in start order.
        var steps: [(id: String, activity: String)] = []
        var storeFailure: String?
        /// Steps whose start could not be recorded: not written, so not failures of their objects.
        var notAttempted: Set<String> = []
        /// The round being applied (0 before the first).
        var round = 0
    }

    /// When the run started (wall clock, for people).
    public let startedAt: Date
    /// When the run started (for durations).
    public let started: ContinuousClock.Instant
    private let state = Mutex(State())

    public init(startedAt: Date = Date(), started: ContinuousClock.Instant = .now) {
        self.startedAt = startedAt
        self.started = started
    }

    /// Sets the phase (`planning: reading W&B`, `applying (round 2)`, `recording what W&B shows now`).
    public func enter(_ phase: String) { state.withLock { $0.phase = phase } }

    /// Marks step `id` as waiting on `activity` (replacing what it waited on before).
    private func step(_ id: String, _ activity: String) {
        state.withLock { state in
            if let index = state.steps.firstIndex(where: { $0.id == id }) {
                state.steps[index].activity = activity
            } else {
                state.steps.append((id, activity))
            }
        }
    }

    /// Step `id` is done.
    private func stepFinished(_ id: String) { state.withLock { $0.steps.removeAll { $0.id == id } } }

    /// The steps in flight and what each waits on, oldest first.
    public var stepsInFlight: [String] { state.withLock { $0.steps.map { "\($0.id) (\($0.activity))" } } }

    /// The phase and up to three steps in flight: `applying (round 1): RunQueue ml/a (recording its outcome), …`.
    public var waitingOn: String {
        state.withLock { state in
            guard !state.steps.isEmpty else { return state.phase }
            let shown = state.steps.prefix(3).map { "\($0.id) (\($0.activity))" }.joined(separator: ", ")
            let more = state.steps.count > 3 ? " and \(state.steps.count - 3) more" : ""
            return "\(state.phase): \(shown)\(more)"
        }
    }

    /// The database failed while recording: the run attempts no more steps and ends failed with this reason.
    public func recordingFailed(_ reason: String) { state.withLock { if $0.storeFailure == nil { $0.storeFailure = reason } } }

    /// Why recording failed during this run, if it did.
    public var storeFailure: String? { state.withLock { $0.storeFailure } }

    /// Step `id` was not attempted because its start could not be recorded.
    public func notAttempted(_ id: String) { state.withLock { _ = $0.notAttempted.insert(id) } }

    /// Whether step `id` was not attempted because its start could not be recorded.
    public func wasNotAttempted(_ id: String) -> Bool { state.withLock { $0.notAttempted.contains(id) } }

    /// The round being applied (0 before the first).
    public var round: Int { state.withLock { $0.round } }

    /// Follows the pipeline's activity: the phase, and what each step in flight waits on.
    public func track(_ activity: Reconciliation.Activity) {
        switch activity {
        case .observing:
            let round = self.round
            enter(
                round == 0
                    ? "planning: reading the object status and W&B"
                    : "reading W&B again after round \(round), to plan another round or record what it shows")
        case .checkingSavedPlan: enter("checking the saved plan against W&B")
        case .approving: enter("confirming the reconciler lease before writing")
        case .applying(let round):
            state.withLock { $0.round = round }
            enter("applying (round \(round))")
        case .recording: enter("recording what W&B shows now")
        case .recordingStart(let id): step(id, "recording its start")
        case .writing(let id): step(id, "writing to W&B")
        case .recordingOutcome(let id): step(id, "recording its outcome")
        case .stepDone(let id): stepFinished(id)
        }
    }

    /// How long the run has lasted.
    public var elapsed: Duration { ContinuousClock.now - started }
}
