import Declarations
import JSON
import WandbModel

extension Plan {
    /// The plan as people read it, Terraform-like: `+` create, `~` update with a field-level diff,
    /// `-` delete, `!` refused, `?` orphan, `=` drift reported only; ends with the summary line.
    public var text: String {
        var lines: [String] = []
        for step in steps {
            var line = "\(step.action.sign) \(step.subject.rawValue) \(step.identity)"
            if step.drift { line += " (drift: changed on W&B)" }
            if let reason = step.reason, step.action != .create, step.action != .update { line += ": \(reason)" }
            lines.append(line)
            if step.action == .create, let write = step.write, let desired = write.desired {
                if case .putRunQueue(let queue) = write {
                    lines.append("    \(Self.queueSummary(queue))")
                } else {
                    lines.append("    \(CanonicalJSON.string(desired))")
                }
            }
            for change in step.changes {
                let before = change.before.map(Self.short) ?? "(absent)"
                let after = change.after.map(Self.short) ?? "(absent)"
                lines.append("    ~ \(change.path.isEmpty ? "/" : change.path): \(before) → \(after)")
            }
        }
        if steps.isEmpty { lines.append("No changes. W&B matches the declarations.") }
        let others = [(count(.refused), "refused"), (count(.orphan), "orphaned (left alone)"), (count(.report), "drift reported only")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        if !others.isEmpty { lines.append("Also: \(others.joined(separator: ", ")).") }
        lines += deletionCapText
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// What the deletion cap says: nothing without deletions; the count against the cap; past it, the refusal
    /// and the list.
    var deletionCapText: [String] {
        let cap = deletionCap
        guard !cap.deletions.isEmpty else { return [] }
        guard cap.exceeded else { return ["Deletions: \(cap.deletions.count), within \(cap.limitDescription)."] }
        return ["! Refused: this plan deletes \(cap.deletions.count) objects, more than \(cap.limitDescription); nothing is applied "
            + "until the cap is raised for the run (--max-deletions \(cap.deletions.count)):"] + cap.deletions.map { "    - \($0)" }
    }

    /// `kubernetes, V0, template variables gpus, memory_gib, 2 links`.
    static func queueSummary(_ queue: RunQueueDefinition) -> String {
        var parts = [queue.resourceType, queue.prioritizationMode.rawValue]
        let variables = queue.templateVariables.keys.sorted()
        parts.append(variables.isEmpty ? "no template variables" : "template variables \(variables.joined(separator: ", "))")
        let links = queue.externalLinks.count
        if links > 0 { parts.append("\(links) link\(links == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    static func short(_ value: JSONValue) -> String {
        let text = CanonicalJSON.string(value)
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}
