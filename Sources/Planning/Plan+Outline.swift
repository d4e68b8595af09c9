import Planning

extension Plan {
    /// The plan with each step's action, subject, identity, reason, W&B id, hashes, dependencies and policy, but
    /// not what it writes (``PlanStep/write``) nor its field changes: what a run's result keeps when it does not keep
    /// its plans whole (``Reconciliation/Request/keepsPlans``). ``summary``, ``count(_:)``, ``hasChanges`` and
    /// ``hasRefusals`` read the same as on the whole plan.
    public var outline: Plan {
        var plan = self
        plan.steps = steps.map { step in
            var step = step
            step.write = nil
            step.changes = []
            return step
        }
        return plan
    }
}
