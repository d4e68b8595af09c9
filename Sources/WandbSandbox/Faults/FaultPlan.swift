/// Which failures the sandbox injects into `POST /graphql` requests, and how often.
///
/// Spec syntax (also in `README.md`): rule groups separated by spaces or `|`; each group is comma-separated
/// effects optionally followed by `;op=Name[,Name...]` (only those operations; default: all):
///
/// ```text
/// 500:0.1,429:0.1@retry-after=1,latency:50ms,drop:0.05;op=UpsertRunQueue
/// 502:0.2 | latency:20ms
/// 503:0.5@after;op=CreateRunQueue seed=7
/// ```
///
/// - `<status>:<fraction>` answers that HTTP status (any 4xx/5xx) for the fraction of matching requests; with
///   `@after` the operation is executed first and its answer replaced (a lost response).
/// - `429:<fraction>@retry-after=<seconds>` adds a `Retry-After` header.
/// - `drop:<fraction>` closes the connection without an answer.
/// - `latency:<n>ms|s` delays every matching request.
/// - `;fields>N` after the effects limits a rule to requests whose operation selects more than N root fields
///   (a batched read of E entities selects 3·E): `latency:5s;op=ReadEntities;fields>24` makes large batches time
///   out on a client that waits less.
/// - `seed=<n>` seeds the random choice (default 0) so runs are reproducible.
/// - `introspection=off` answers `__schema`/`__type` with no data (HTTP 200, no error), as a W&B server with
///   `GORILLA_GRAPHQL_DISABLE_INTROSPECTION` does (``introspectionDisabled``); `introspection=on` is the default.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// One effect in a rule.
    public enum Effect: Sendable, Equatable {
        /// Answer `status` instead of executing (or, with `afterExecution`, after executing).
        case status(Int, fraction: Double, retryAfter: Double? = nil, afterExecution: Bool = false)
        /// Close the connection without answering.
        case drop(fraction: Double)
        /// Delay the answer by this many milliseconds.
        case latency(milliseconds: Int)
    }

    /// A set of effects, limited to some operations or applying to all.
    public struct Rule: Sendable, Equatable {
        public var effects: [Effect]
        /// Operation names the rule applies to; `nil` means every operation.
        public var operations: Set<String>?
        /// The rule applies only to operations selecting more root fields than this (`;fields>N`); `nil`: any.
        public var moreRootFieldsThan: Int?

        public init(effects: [Effect], operations: Set<String>? = nil, moreRootFieldsThan: Int? = nil) {
            self.effects = effects
            self.operations = operations
            self.moreRootFieldsThan = moreRootFieldsThan
        }

        func applies(to operation: String, rootFields: Int = 1) -> Bool {
            (operations?.contains(operation) ?? true) && rootFields > (moreRootFieldsThan ?? 0)
        }
    }

    public var rules: [Rule]
    /// Seed of the random generator that decides which requests fail.
    public var seed: UInt64
    /// Whether `__schema`/`__type` selections are left out of answers (`introspection=off`).
    public var introspectionDisabled = false

    public init(rules: [Rule] = [], seed: UInt64 = 0) {
        self.rules = rules
        self.seed = seed
    }

    /// No faults.
    public static let none = FaultPlan()

    public var isEmpty: Bool { rules.isEmpty && !introspectionDisabled }

    public var description: String {
        if isEmpty { return "none" }
        let groups = rules.map { rule in
            let effects = rule.effects.map { effect -> String in
                switch effect {
                case .status(let code, let fraction, let retryAfter, let after):
                    var text = "\(code):\(fraction)"
                    if let retryAfter { text += "@retry-after=\(retryAfter)" }
                    if after { text += "@after" }
                    return text
                case .drop(let fraction): return "drop:\(fraction)"
                case .latency(let milliseconds): return "latency:\(milliseconds)ms"
                }
            }.joined(separator: ",")
            let scoped = rule.operations.map { "\(effects);op=\($0.sorted().joined(separator: ","))" } ?? effects
            return rule.moreRootFieldsThan.map { "\(scoped);fields>\($0)" } ?? scoped
        }
        return (groups + (introspectionDisabled ? ["introspection=off"] : []) + ["seed=\(seed)"]).joined(separator: " ")
    }
}
