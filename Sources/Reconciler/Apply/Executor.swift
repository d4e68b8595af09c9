import Declarations
import Logging
import Planning
import WandbAPI
import WandbModel

/// Carries out a plan's writes through the W&B client: in dependency order, independent steps
/// concurrently up to a limit; a step whose dependency did not succeed is skipped, not attempted.
public struct Executor: Sendable {
    public struct Configuration: Sendable {
        /// Most writes in flight at once.
        public var concurrency = 8
        /// Fail a queue write when W&B reports `configSchemaValidationErrors`.
        public var strict = false
        /// Delete a queue even when items wait on it; off: its items are read again just before the deletion, and
        /// a queue that got items since it was planned is not deleted.
        public var allowNonemptyDelete = false
        public init() {}
    }

    public let client: WandbClient
    public var configuration: Configuration
    public var progress: (any ApplyProgress)?
    public var logger: Logger

    public init(
        client: WandbClient, configuration: Configuration = .init(), progress: (any ApplyProgress)? = nil,
        logger: Logger = Logger(label: "launchq.apply")
    ) {
        self.client = client
        self.configuration = configuration
        self.progress = progress
        self.logger = logger
    }

    /// Applies every `create`, `update` and `delete` step of `plan`; `observed` is the state it was planned from.
    /// `hooks` decide whether each step is attempted and hear how it ended (``Reconciliation`` records there).
    public func apply(_ plan: Plan, observed: ObservedState, hooks: StepHooks = StepHooks()) async -> ApplyReport {
        let writes = plan.steps.filter { $0.action.changesWandb }
        let context = ApplyContext(observed: observed, total: writes.count)
        // Waves: each subject in order, deletions last; steps within a wave are independent.
        var waves: [[PlanStep]] = []
        for step in writes {
            if let last = waves.last?.last, last.subject == step.subject, (last.action == .delete) == (step.action == .delete) {
                waves[waves.count - 1].append(step)
            } else {
                waves.append([step])
            }
        }
        for wave in waves {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for step in wave {
                    if running >= configuration.concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await self.run(step, context: context, hooks: hooks) }
                    running += 1
                }
            }
        }
        return await context.report
    }

    private func run(_ step: PlanStep, context: ApplyContext, hooks: StepHooks) async {
        let outcome: StepOutcome
        if let blocker = await context.failedDependency(of: step) {
            outcome = StepOutcome(.skipped("not attempted: \(blocker) did not succeed"))
        } else {
            switch await hooks.admit(step) {
            case .attempt:
                do {
                    try await hooks.willWrite(step)
                    outcome = try await write(step, context: context)
                } catch {
                    outcome = StepOutcome(.failed(Self.describe(error)))
                }
            case .skip(let reason): outcome = StepOutcome(.skipped(reason))
            case .defer(let reason): outcome = StepOutcome(.deferred(reason))
            }
        }
        await hooks.finished(step, outcome)
        let done = await context.finish(step, outcome)
        progress?.stepFinished(step, outcome: outcome, done: done, total: context.total)
    }

    private func write(_ step: PlanStep, context: ApplyContext) async throws -> StepOutcome {
        guard let write = step.write else { throw ApplyError("launchq cannot \(step.action.rawValue) a \(step.subject.rawValue)") }
        switch write {
        case .createUser(let email, let admin):
            let user = try await client.createUser(email: email, admin: admin)
            await context.remember(user, for: email)
        case .createTeam(let name, let admin):
            let username: String? = if let admin { await context.username(for: admin) } else { nil }
            _ = try await client.createTeam(name: name, adminUsername: username)
        case .invite(let team, let user, let role):
            let reference = await context.username(for: user) ?? user
            try await client.createInvite(entity: team, usernameOrEmail: reference, admin: role == .admin)
        case .upsertProject(let entity, let name, let description):
            _ = try await client.upsertProject(name: name, entity: entity, description: description)
        case .putRunQueue(let queue):
            let existing = await context.observedQueue(step.identity)
            let written = try await client.putRunQueue(queue, existing: existing)
            if case .upserted(let result) = written, !result.configSchemaValidationErrors.isEmpty {
                let warnings = result.configSchemaValidationErrors.map { "resource config validation: \($0)" }
                if configuration.strict { return StepOutcome(.failed(warnings.joined(separator: "; ")), warnings: warnings) }
                return StepOutcome(.succeeded, warnings: warnings)
            }
        case .deleteRunQueue(let id):
            try await checkEmpty(step)
            try await client.deleteRunQueues(ids: [id])
        case .removeMember(let team, let id):
            try await client.deleteInvite(entity: team, id: id)
        }
        return StepOutcome(.succeeded)
    }

    /// Refuses to delete a queue that holds items now (pushed since it was planned, or a saved plan), unless
    /// ``Configuration/allowNonemptyDelete``.
    private func checkEmpty(_ step: PlanStep) async throws {
        guard !configuration.allowNonemptyDelete, step.subject == .runQueue else { return }
        let parts = step.identity.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let count = try await client.runQueueItemCount(entity: parts[0], queue: parts[1]), count > 0 else { return }
        throw ApplyError("not deleted: \(Planner.describePendingItems(count)) wait on it now; pass --allow-nonempty-delete to delete it anyway")
    }

    /// An error's message for people: the W&B client's errors carry no secrets.
    static func describe(_ error: any Error) -> String {
        if let error = error as? WandbAPIError { return error.description }
        if let error = error as? ApplyError { return error.message }
        return String(describing: error)
    }
}

/// A step that cannot be carried out as planned.
public struct ApplyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
