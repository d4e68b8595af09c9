/// Holds every queue to every policy in scope; a violation is an error or a warning as the policy says.
enum PolicyCheck {
    /// `roots[i]` is the document `declarations[i]` was read from.
    static func check(_ declarations: [Declaration], roots: [Node], sink: inout DiagnosticSink) {
        let policies = declarations.compactMap { declaration -> (GuardrailPolicy, SourceLocation)? in
            if case .policy(let policy) = declaration.object { (policy, declaration.location) } else { nil }
        }
        guard !policies.isEmpty else { return }
        for (index, declaration) in declarations.enumerated() {
            guard case .runQueue(let queue) = declaration.object else { continue }
            var config: RunnerConfig?
            for (policy, place) in policies where !policy.rules.isEmpty && policy.scope.contains(queue) {
                if config == nil { config = RunnerConfig(queue) }
                for violation in PolicyEvaluator.violations(of: queue, config!, against: policy.rules) {
                    let message = "queue \(queue.entity)/\(queue.name) breaks policy \"\(policy.name)\" (\(violation.rule)): \(violation.message)"
                    let hint = "policy \"\(policy.name)\" is declared at \(place)"
                    let location = roots[index].location(at: violation.path)
                    switch policy.severity {
                    case .error: sink.error(.policy(rule: violation.rule), message, at: location, path: violation.path, hint: hint)
                    case .warning: sink.warning(.policy(rule: violation.rule), message, at: location, path: violation.path, hint: hint)
                    }
                }
            }
        }
    }
}
