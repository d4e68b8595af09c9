import JSON

/// The deletion rules: which queues on W&B whose declaration is gone are deleted, left alone, or refused.
extension PlanBuilder {
    /// Queues on W&B, in the entities this set manages, that no declaration names any more.
    ///
    /// - The policy of the queue's last applied declaration (``appliedPolicies``) decides first: `prune: true`
    ///   deletes it even with pruning off, `prune: false` keeps it even with pruning on, `protect: true` never
    ///   deletes it; without one (no database, or never applied) the global prune setting decides.
    /// - A queue that would be deleted but still holds pending items is refused, naming the count, unless
    ///   ``Planner/Configuration/allowNonemptyDelete``.
    mutating func planRemovedQueues(declared: Set<String>) {
        let managedEntities = Set(declared.map { String($0.prefix { $0 != "/" }) }).union(declaredTeams.keys)
        for entityName in managedEntities.sorted() {
            guard let entity = observed.entities[entityName] else { continue }
            for (name, queue) in entity.queues.sorted(by: { $0.key < $1.key }) where !declared.contains("\(entityName)/\(name)") {
                planRemoved(queue, identity: "\(entityName)/\(name)", entity: entityName, name: name)
            }
        }
    }

    private mutating func planRemoved(_ queue: ObservedState.Queue, identity: String, entity: String, name: String) {
        let applied = appliedPolicies[PlanStep.id(.runQueue, identity)]
        let prune = applied?.prune ?? configuration.prune
        let why: String = switch (applied?.prune, configuration.prune) {
        case (true?, false): "policy.prune: true on its last applied declaration (pruning is off)"
        case (false?, true): "policy.prune: false on its last applied declaration (pruning is on)"
        case (_, true): "pruning is on"
        case (_, false): "pruning is off"
        }
        guard prune else {
            append(PlanStep(.orphan, .runQueue, identity, reason: "on W&B, not declared; left alone: \(why)", wandbID: queue.id, policy: applied))
            return
        }
        if applied?.protect == true {
            append(PlanStep(
                .refused, .runQueue, identity,
                reason: "not deleted: protected (policy.protect: true on its last applied declaration); launchq never deletes it, although \(why)",
                wandbID: queue.id, policy: applied))
            return
        }
        deletionCandidates.append((entity, name))
        guard let pending = queue.pendingItems else {
            append(PlanStep(
                .refused, .runQueue, identity, reason: "not deleted: its pending items were not read, so launchq cannot tell it is empty",
                wandbID: queue.id, policy: applied))
            return
        }
        let items = Planner.describePendingItems(pending)
        if pending > 0, !configuration.allowNonemptyDelete {
            append(PlanStep(
                .refused, .runQueue, identity,
                reason: "not deleted: \(items) still wait on it (deleting the queue would drop them); "
                    + "let them run or pass --allow-nonempty-delete, although \(why)",
                wandbID: queue.id, policy: applied))
            return
        }
        let dropping = pending > 0 ? "; its \(items) go with it (--allow-nonempty-delete)" : ""
        append(PlanStep(
            .delete, .runQueue, identity, reason: "no longer declared; \(why)\(dropping)", write: .deleteRunQueue(id: queue.id), wandbID: queue.id,
            policy: applied))
    }

    /// The change from `before` to `after` (canonical queue states) that W&B cannot undo, if any: a protected
    /// queue is never changed that way. `prioritization_mode` DISABLED → V0 is one (V0 can never be disabled
    /// again). A resource type change is not: `upsertRunQueue` rewrites the whole definition in place and can
    /// write the old one back.
    static func irreversibleChange(from before: JSONValue, to after: JSONValue) -> String? {
        if before["prioritization_mode"] != .string("V0"), after["prioritization_mode"] == .string("V0") {
            return "prioritization_mode DISABLED → V0"
        }
        return nil
    }
}

extension Planner {
    /// `1 pending item`, `3 pending items`, `at least 100 pending items` (the SDK's read stops at 100).
    public static func describePendingItems(_ count: Int) -> String {
        let prefix = count >= 100 ? "at least " : ""
        return "\(prefix)\(count) pending item\(count == 1 ? "" : "s")"
    }
}
