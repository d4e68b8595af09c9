/// Decides, request by request, which fault of a ``FaultPlan`` to inject. Pure and seeded: the same plan
/// and the same sequence of operation names always give the same decisions.
struct FaultInjector: Sendable {
    /// What to do to one request.
    struct Decision: Sendable, Equatable {
        enum Outcome: Sendable, Equatable {
            case status(Int, retryAfter: Double?, afterExecution: Bool)
            case drop
        }

        /// Total added latency in milliseconds.
        var latencyMilliseconds = 0
        /// The failure to inject, if any.
        var outcome: Outcome?
        /// Leave `__schema`/`__type` out of the answer (``FaultPlan/introspectionDisabled``).
        var omitsIntrospection = false

        /// Whether the request is failed before it is validated or executed.
        var failsBeforeExecution: Bool {
            switch outcome {
            case .drop?, .status(_, _, false)?: return true
            default: return false
            }
        }

        /// A short name for counters: the status code, `drop`, or `nil` for none.
        var label: String? {
            switch outcome {
            case .status(let code, _, _): return String(code)
            case .drop: return "drop"
            case nil: return nil
            }
        }
    }

    private(set) var plan: FaultPlan
    private var generator: SplitMix64

    init(plan: FaultPlan) {
        self.plan = plan
        self.generator = SplitMix64(seed: plan.seed)
    }

    /// The decision for the next request naming `operation`. Failure effects of all rules that apply share one
    /// random draw, so their fractions add up (a request fails at most once); latencies add up.
    mutating func decide(operation: String, rootFields: Int = 1) -> Decision {
        var decision = Decision(omitsIntrospection: plan.introspectionDisabled)
        let applicable = plan.rules.filter { $0.applies(to: operation, rootFields: rootFields) }.flatMap(\.effects)
        guard !applicable.isEmpty else { return decision }
        let draw = generator.nextUnitInterval()
        var cumulative = 0.0
        for effect in applicable {
            switch effect {
            case .latency(let milliseconds):
                decision.latencyMilliseconds += milliseconds
            case .status(let code, let fraction, let retryAfter, let after):
                if decision.outcome == nil, draw < cumulative + fraction {
                    decision.outcome = .status(code, retryAfter: retryAfter, afterExecution: after)
                }
                cumulative += fraction
            case .drop(let fraction):
                if decision.outcome == nil, draw < cumulative + fraction { decision.outcome = .drop }
                cumulative += fraction
            }
        }
        return decision
    }
}

/// A small, fast, seedable generator (SplitMix64), so fault injection is reproducible.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
