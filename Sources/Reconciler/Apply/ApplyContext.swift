import Declarations
import Planning
import WandbAPI
import WandbModel

/// What apply learns as it goes (usernames of users it made) and how each step ended.
actor ApplyContext {
    let observed: ObservedState
    let total: Int
    private var created: [String: ObservedUser] = [:]
    private(set) var report = ApplyReport()

    init(observed: ObservedState, total: Int) {
        self.observed = observed
        self.total = total
    }

    func remember(_ user: ObservedUser, for email: String) {
        created[email.lowercased()] = user
    }

    /// The W&B username of a user reference (email or username), if known.
    func username(for reference: String) -> String? {
        (created[reference.lowercased()] ?? observed.user(reference))?.username
    }

    func observedQueue(_ identity: String) -> ObservedRunQueue? {
        let parts = identity.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return observed.entities[parts[0]]?.queues[parts[1]]?.raw
    }

    /// The first dependency of `step` that did not succeed in this apply.
    func failedDependency(of step: PlanStep) -> String? {
        step.dependsOn.first { report.outcomes[$0].map { !$0.succeeded } ?? false }
    }

    /// Records an outcome; returns how many steps are done.
    func finish(_ step: PlanStep, _ outcome: StepOutcome) -> Int {
        report.outcomes[step.id] = outcome
        return report.outcomes.count
    }
}
