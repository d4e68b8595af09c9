import Planning

extension Reconciliation {
    /// The decisions of one run, with no I/O: which plan a round applies, when another round is needed, when
    /// to observe again, when to record, when to stop. ``Reconciliation/run(_:_:)`` performs the actions it
    /// returns and reports back what happened; the tests drive it with plans and reports alone.
    ///
    /// A run: observe and plan (or check a saved plan is not stale) → approve → apply rounds, re-observing and
    /// re-planning while a round had failed or skipped steps and rounds remain → record what W&B looks like now.
    public struct StateMachine: Sendable {
        /// What the shell does next.
        public enum Action: Sendable, Equatable {
            /// Observe W&B for the declarations and plan; then ``planned(_:stopping:)``.
            case observe
            /// Observe a saved plan's scope; then ``observedSavedPlan(hash:)``.
            case checkStaleness(ObservationScope)
            /// Ask the caller to approve the first plan; then ``approved(_:stopping:)``.
            case approve(Plan)
            /// Apply this plan (already scoped) as the next round; then ``applied(_:stopping:)``.
            case apply(Plan)
            /// Record the findings of this plan and the observation it came from; then ``recorded()``.
            case record(Plan)
            /// The run is over.
            case finish(Ending)
        }

        /// How a run ended.
        public enum Ending: String, Sendable, Equatable {
            /// The rounds ran (or there was nothing to write); the counts say whether every write succeeded.
            case completed
            /// Stopped between steps (shutdown, a lost lease): nothing after it was recorded as findings.
            case stopped
            /// A saved plan whose W&B state changed since it was made: nothing was written.
            case stale
            /// The caller did not approve the first plan: nothing was written.
            case declined
        }

        private enum Phase: Sendable, Equatable {
            case idle, planning, checking(Plan), approving(Plan), applying, replanning, finalObserving, recording, finished
        }

        /// Most rounds in one run.
        public let maxRounds: Int
        /// The one object a run applies, or `nil` for all.
        public let object: ObjectReference?
        /// Whether findings are recorded after the rounds (a recorder is present and declarations are known).
        public private(set) var recordsFindings: Bool
        /// Rounds started so far.
        public private(set) var rounds = 0
        private var phase = Phase.idle
        private var replans = true
        /// The latest plan, while nothing was applied after it (it still describes W&B).
        public private(set) var currentPlan: Plan?

        public init(maxRounds: Int, object: ObjectReference? = nil, recordsFindings: Bool) {
            self.maxRounds = max(1, maxRounds)
            self.object = object
            self.recordsFindings = recordsFindings
        }

        /// Starts from nothing: observe and plan.
        public mutating func start() -> Action {
            phase = .planning
            return .observe
        }

        /// Starts from a plan the caller already made.
        public mutating func start(with plan: Plan) -> Action {
            currentPlan = plan
            phase = .approving(plan)
            return .approve(plan)
        }

        /// Starts from a saved plan: one round, no re-planning (there are no declarations to plan from), no findings.
        public mutating func start(saved plan: Plan) -> Action {
            replans = false
            recordsFindings = false
            phase = .checking(plan)
            return .checkStaleness(plan.scope)
        }

        /// A saved plan's scope was observed again and hashes to `hash`.
        public mutating func observedSavedPlan(hash: String) -> Action {
            guard case .checking(let plan) = phase else { return unexpected() }
            guard hash == plan.observedHash else { return finish(.stale) }
            currentPlan = plan
            phase = .approving(plan)
            return .approve(plan)
        }

        /// An observation was planned as `plan`.
        public mutating func planned(_ plan: Plan, stopping: Bool) -> Action {
            currentPlan = plan
            switch phase {
            case .planning:
                phase = .approving(plan)
                return .approve(plan)
            case .replanning:
                return nextRound(plan, stopping: stopping)
            case .finalObserving:
                phase = .recording
                return .record(plan)
            default:
                return unexpected()
            }
        }

        /// The caller approved the first plan, or not.
        public mutating func approved(_ approved: Bool, stopping: Bool) -> Action {
            guard case .approving(let plan) = phase else { return unexpected() }
            guard approved else { return finish(.declined) }
            return nextRound(plan, stopping: stopping)
        }

        /// A round was applied with `report`.
        public mutating func applied(_ report: ApplyReport, stopping: Bool) -> Action {
            guard phase == .applying else { return unexpected() }
            if stopping { return finish(.stopped) }
            if replans, Self.needsAnotherRound(report), rounds < maxRounds {
                phase = .replanning
                return .observe
            }
            return wrapUp(stopping: stopping)
        }

        /// The findings were recorded (or recording failed and was reported).
        public mutating func recorded() -> Action {
            guard phase == .recording else { return unexpected() }
            return finish(.completed)
        }

        /// Another round is worth it when this one had steps that failed or were skipped for a failure (a
        /// deferred step is not: its gate will hold it back again).
        public static func needsAnotherRound(_ report: ApplyReport) -> Bool {
            report.failed + report.skipped > 0
        }

        /// The plan restricted to one object's steps (all of them when `object` is `nil`).
        public static func scope(_ plan: Plan, to object: ObjectReference?) -> Plan {
            guard let object else { return plan }
            var scoped = plan
            scoped.steps = plan.steps.filter(object.matches)
            return scoped
        }

        /// Whether a step is attempted: not while stopping (it is skipped and recorded as such), not while its
        /// gate defers it (not recorded at all).
        public static func admission(stopping: Bool, stopReason: String, deferral: @autoclosure () -> String?) -> StepAdmission {
            if stopping { return .skip("not attempted: \(stopReason)") }
            if let reason = deferral() { return .defer(reason) }
            return .attempt
        }

        private mutating func nextRound(_ plan: Plan, stopping: Bool) -> Action {
            if stopping { return finish(.stopped) }
            let scoped = Self.scope(plan, to: object)
            // Past the deletion cap the whole apply is refused: nothing is written, the findings are recorded.
            guard scoped.hasChanges, !plan.deletionCap.exceeded, rounds < maxRounds else { return wrapUp(stopping: stopping) }
            rounds += 1
            currentPlan = nil
            phase = .applying
            return .apply(scoped)
        }

        /// After the last round: record what W&B looks like now, observing again only if something was applied since
        /// the latest plan.
        private mutating func wrapUp(stopping: Bool) -> Action {
            if stopping { return finish(.stopped) }
            guard recordsFindings else { return finish(.completed) }
            if let currentPlan {
                phase = .recording
                return .record(currentPlan)
            }
            phase = .finalObserving
            return .observe
        }

        private mutating func finish(_ ending: Ending) -> Action {
            phase = .finished
            return .finish(ending)
        }

        /// A report that does not fit the phase (a shell bug): end the run rather than guess.
        private mutating func unexpected() -> Action {
            assertionFailure("reconciliation state machine: unexpected event in \(phase)")
            return finish(.completed)
        }
    }
}
