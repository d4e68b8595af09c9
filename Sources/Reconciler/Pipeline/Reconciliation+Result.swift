import Planning

extension Reconciliation {
    /// One round's plan (as applied: scoped to the run's object) and what applying it did.
    public struct Round: Sendable {
        public var plan: Plan
        public var report: ApplyReport

        public init(plan: Plan, report: ApplyReport) {
            self.plan = plan
            self.report = report
        }
    }

    /// Steps by how they ended, over every round of a run.
    public struct Counts: Sendable, Equatable {
        public var succeeded = 0
        public var failed = 0
        public var skipped = 0
        /// Held back by the run's gate (backing off): not attempted, not recorded.
        public var deferred = 0

        public init(succeeded: Int = 0, failed: Int = 0, skipped: Int = 0, deferred: Int = 0) {
            self.succeeded = succeeded
            self.failed = failed
            self.skipped = skipped
            self.deferred = deferred
        }

        public init(_ rounds: [Round]) {
            for round in rounds {
                succeeded += round.report.succeeded
                failed += round.report.failed
                skipped += round.report.skipped
                deferred += round.report.deferred
            }
        }
    }

    /// What a run did.
    public struct Result: Sendable {
        public var ending: StateMachine.Ending
        /// The plan approved for the first round (unscoped); `nil` for a stale saved plan.
        public var firstPlan: Plan?
        /// Every round applied, in order; empty when there was nothing to write.
        public var rounds: [Round] = []
        /// W&B after the last round, planned again: present when findings were recorded, or when nothing was
        /// applied after the latest plan.
        public var finalPlan: Plan?
        /// Why the findings and observed queues could not be recorded after the rounds, when they could not.
        public var recordingError: String?
        /// Steps whose outcome could not be recorded (each was logged).
        public var unrecordedSteps: [String] = []

        public init(ending: StateMachine.Ending, firstPlan: Plan? = nil) {
            self.ending = ending
            self.firstPlan = firstPlan
        }

        /// Steps by how they ended, over every round.
        public var counts: Counts { Counts(rounds) }

        /// Each step's latest outcome, by step id.
        public var outcomes: [String: StepOutcome] {
            rounds.reduce(into: [:]) { outcomes, round in outcomes.merge(round.report.outcomes) { _, latest in latest } }
        }
    }
}
