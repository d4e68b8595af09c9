import Declarations
import Logging
import Planning
import WandbAPI

/// Observe, plan, apply — repeated until W&B matches or the rounds run out, so an apply that meets
/// failures (a dropped connection after a create, a 5xx) converges on the next round, from a fresh
/// read, without ever creating an object twice.
public struct Reconciliation: Sendable {
    public var observer: Observer
    public var planner: Planner
    public var executor: Executor
    /// Most observe-plan-apply rounds in one run.
    public var maxRounds: Int

    public init(observer: Observer, planner: Planner, executor: Executor, maxRounds: Int = 3) {
        self.observer = observer
        self.planner = planner
        self.executor = executor
        self.maxRounds = maxRounds
    }

    /// One round's plan and what applying it did.
    public struct Round: Sendable {
        public var plan: Plan
        public var report: ApplyReport
    }

    /// Plans against W&B now.
    public func plan(_ declarations: [Declaration], lastApplied: [String: String] = [:]) async throws -> (Plan, ObservedState) {
        let observed = try await observer.observe(declarations)
        return (planner.plan(declarations, observed: observed, lastApplied: lastApplied), observed)
    }

    /// Applies `first` (already planned against `observed`), then re-plans and applies again while
    /// writes failed and rounds remain.
    public func run(
        _ declarations: [Declaration], first: Plan, observed: ObservedState, lastApplied: @Sendable () async throws -> [String: String] = { [:] }
    ) async throws -> [Round] {
        var rounds = [Round(plan: first, report: await executor.apply(first, observed: observed))]
        while rounds.count < maxRounds, rounds.last!.report.failed + rounds.last!.report.skipped > 0 {
            let (plan, observed) = try await self.plan(declarations, lastApplied: try await lastApplied())
            guard plan.hasChanges else { break }
            rounds.append(Round(plan: plan, report: await executor.apply(plan, observed: observed)))
        }
        return rounds
    }
}
