import Planning
import Reconciler

extension ApplyCommand {
    /// The `apply --format json` document (stable; README, "apply --format json"): how the run ended, its counts,
    /// each step's latest outcome and the plan that was approved. Printed alone on standard output.
    struct Document: Encodable {
        struct Counts: Encodable {
            var succeeded: Int
            var failed: Int
            var skipped: Int
            var deferred: Int
        }

        struct Step: Encodable {
            /// The step's id, e.g. `RunQueue ml-platform/a100-training`.
            var id: String
            /// `succeeded`, `failed`, `skipped` or `deferred`.
            var status: String
            /// Why it failed or was not attempted (absent when it succeeded).
            var reason: String?
            /// Warnings from W&B (`configSchemaValidationErrors`).
            var warnings: [String]
        }

        /// 1 for this layout.
        var formatVersion = 1
        /// Whether apply succeeded: exit status 0.
        var ok: Bool
        /// `completed`, `stopped`, `stale` (a saved plan W&B no longer matches) or `declined`.
        var ending: String
        var rounds: Int
        var counts: Counts
        var steps: [Step]
        /// Why recording in the database failed after the rounds, when it did.
        var recordingError: String?
        /// The plan of the first round, in the `plan --format json` layout (absent for a stale saved plan).
        var plan: Plan?

        init(_ result: Reconciliation.Result, failed: Bool) {
            ok = !failed
            ending = result.ending.rawValue
            rounds = result.rounds.count
            let counts = result.counts
            self.counts = Counts(succeeded: counts.succeeded, failed: counts.failed, skipped: counts.skipped, deferred: counts.deferred)
            steps = result.outcomes.sorted { $0.key < $1.key }.map { id, outcome in
                let (status, reason): (String, String?) = switch outcome.status {
                case .succeeded: ("succeeded", nil)
                case .failed(let message): ("failed", message)
                case .skipped(let reason): ("skipped", reason)
                case .deferred(let reason): ("deferred", reason)
                }
                return Step(id: id, status: status, reason: reason, warnings: outcome.warnings)
            }
            recordingError = result.recordingError
            plan = result.firstPlan
        }
    }
}
