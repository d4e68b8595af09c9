extension Plan {
    /// The plan with each step's action, subject, identity, reason, W&B id, hashes, dependencies and policy, but
    /// not what it writes (``PlanStep/write``) nor its field changes: what a run's result keeps when it does not keep
    /// its plans whole (`Reconciliation.Request.keepsPlans`), and what a fleet run approves (``FleetPlan``).
    /// ``summary``, ``count(_:)``, ``hasChanges`` and ``hasRefusals`` read the same as on the whole plan.
    public var outline: Plan {
        var plan = self
        plan.steps = steps.map(\.outline)
        return plan
    }
}

extension PlanStep {
    /// The step without what it writes nor its field changes (``Plan/outline``).
    public var outline: PlanStep {
        var step = self
        step.write = nil
        step.changes = []
        return step
    }
}
