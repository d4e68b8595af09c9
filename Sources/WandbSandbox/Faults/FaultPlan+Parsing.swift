extension FaultPlan {
    /// Parses a fault spec (syntax in ``FaultPlan``). An empty string or `none` is no faults.
    /// - Throws: ``SandboxError`` with code `invalidFaultSpec`, naming the part that is wrong.
    public static func parse(_ spec: String) throws(SandboxError) -> FaultPlan {
        var plan = FaultPlan()
        let groups = spec.split(whereSeparator: { $0 == " " || $0 == "|" || $0 == "\n" || $0 == "\t" }).map(String.init)
        for group in groups {
            if group == "none" { continue }
            if group.hasPrefix("introspection=") {
                switch group.dropFirst("introspection=".count) {
                case "off": plan.introspectionDisabled = true
                case "on": plan.introspectionDisabled = false
                default: throw invalid(group, "introspection must be on or off")
                }
                continue
            }
            if group.hasPrefix("seed=") {
                guard let seed = UInt64(group.dropFirst(5)) else { throw invalid(group, "seed must be a non-negative integer") }
                plan.seed = seed
                continue
            }
            var sections = group.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let effectsText = sections.removeFirst()
            var operations: Set<String>?
            var moreRootFieldsThan: Int?
            for option in sections {
                if option.hasPrefix("fields>") {
                    guard let count = Int(option.dropFirst("fields>".count)), count >= 0 else {
                        throw invalid(option, "fields> needs a non-negative number of root fields")
                    }
                    moreRootFieldsThan = count
                    continue
                }
                guard option.hasPrefix("op=") else { throw invalid(option, "expected op=Name[,Name...] or fields>N") }
                let names = option.dropFirst(3).split(separator: ",").map(String.init)
                guard !names.isEmpty else { throw invalid(option, "op= needs at least one operation name") }
                operations = (operations ?? []).union(names)
            }
            let effects = try effectsText.split(separator: ",").map { part throws(SandboxError) in try parseEffect(String(part)) }
            guard !effects.isEmpty else { throw invalid(group, "no effects") }
            plan.rules.append(Rule(effects: effects, operations: operations, moreRootFieldsThan: moreRootFieldsThan))
        }
        return plan
    }

    private static func invalid(_ part: String, _ reason: String) -> SandboxError {
        SandboxError(.invalidFaultSpec, "invalid fault spec \"\(part)\": \(reason)")
    }

    private static func fraction(_ text: Substring, in part: String) throws(SandboxError) -> Double {
        guard let value = Double(text), value >= 0, value <= 1 else { throw invalid(part, "fraction must be between 0 and 1") }
        return value
    }

    private static func parseEffect(_ part: String) throws(SandboxError) -> Effect {
        var options = part.split(separator: "@").map(String.init)
        let head = options.removeFirst()
        let pieces = head.split(separator: ":", maxSplits: 1)
        guard pieces.count == 2 else { throw invalid(part, "expected kind:value") }
        let kind = pieces[0]
        let value = pieces[1]
        switch kind {
        case "latency":
            guard options.isEmpty else { throw invalid(part, "latency takes no options") }
            let milliseconds: Double?
            if value.hasSuffix("ms") {
                milliseconds = Double(value.dropLast(2))
            } else if value.hasSuffix("s") {
                milliseconds = Double(value.dropLast()).map { $0 * 1000 }
            } else {
                milliseconds = nil
            }
            guard let milliseconds, milliseconds >= 0, milliseconds <= 600_000 else {
                throw invalid(part, "latency must be like 50ms or 1.5s (at most 600s)")
            }
            return .latency(milliseconds: Int(milliseconds))
        case "drop":
            guard options.isEmpty else { throw invalid(part, "drop takes no options") }
            return .drop(fraction: try fraction(value, in: part))
        default:
            guard let status = Int(kind), (400...599).contains(status) else {
                throw invalid(part, "unknown fault \"\(kind)\": use an HTTP status 400-599, drop or latency")
            }
            var retryAfter: Double?
            var after = false
            for option in options {
                if option == "after" {
                    after = true
                } else if option.hasPrefix("retry-after=") {
                    guard let seconds = Double(option.dropFirst("retry-after=".count)), seconds >= 0 else {
                        throw invalid(part, "retry-after must be a number of seconds")
                    }
                    retryAfter = seconds
                } else {
                    throw invalid(part, "unknown option \"@\(option)\"")
                }
            }
            return .status(status, fraction: try fraction(value, in: part), retryAfter: retryAfter, afterExecution: after)
        }
    }
}
