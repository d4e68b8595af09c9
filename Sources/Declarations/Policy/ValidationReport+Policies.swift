extension ValidationReport {
    /// The errors that are violations of error-level policies.
    public var policyViolations: [Diagnostic] {
        diagnostics.filter { $0.severity == .error && $0.code.rawValue.hasPrefix("policy.") && $0.code != .policyEmpty }
    }

    /// For refusal messages: `" (2 errors break policy gpu-budget)"`, or `""` when no policy is broken.
    public var policyNote: String {
        let violations = policyViolations
        guard !violations.isEmpty else { return "" }
        var names: [String] = []
        for violation in violations {
            // PolicyCheck writes `… breaks policy "<name>" (<rule>): …`.
            guard let start = violation.message.firstRange(of: "breaks policy \"")?.upperBound,
                let end = violation.message[start...].firstIndex(of: "\"")
            else { continue }
            let name = String(violation.message[start..<end])
            if !names.contains(name) { names.append(name) }
        }
        let count = violations.count == 1 ? "1 error breaks" : "\(violations.count) errors break"
        return " (\(count) \(names.count == 1 ? "policy" : "policies") \(names.joined(separator: ", ")))"
    }
}
