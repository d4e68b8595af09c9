/// Holds every queue to every policy in scope; a violation is an error or a warning as the policy says.
enum PolicyCheck {
    /// A policy of the bundle and where it is declared (named in every finding's hint).
    typealias Declared = (policy: GuardrailPolicy, place: SourceLocation)

    /// Holds one queue, read from the document `root`, to `policies`; `root` locates each violation.
    static func check(_ queue: RunQueue, root: Node, against policies: [Declared], sink: inout DiagnosticSink) {
        var config: RunnerConfig?
        for (policy, place) in policies where !policy.rules.isEmpty && policy.scope.contains(queue) {
            if config == nil { config = RunnerConfig(queue) }
            for violation in PolicyEvaluator.violations(of: queue, config!, against: policy.rules) {
                let message = "queue \(queue.entity)/\(queue.name) breaks policy \"\(policy.name)\" (\(violation.rule)): \(violation.message)"
                let hint = "policy \"\(policy.name)\" is declared at \(place)"
                let location = root.location(at: violation.path)
                switch policy.severity {
                case .error: sink.error(.policy(rule: violation.rule), message, at: location, path: violation.path, hint: hint)
                case .warning: sink.warning(.policy(rule: violation.rule), message, at: location, path: violation.path, hint: hint)
                }
            }
        }
    }
}
