/// Request counters a test can read (in process through ``SandboxServer/counters()``, over HTTP at
/// `GET /_sandbox/counters`).
public struct SandboxCounters: Sendable, Codable, Equatable {
    /// `POST /graphql` requests per operation name (the document's operation name when the request's
    /// `operationName` is empty; `(anonymous)` for unnamed operations; `(invalid)` for requests whose body or
    /// document could not be read; `(unauthorized)` for requests refused with 401).
    public var requestsByOperation: [String: Int] = [:]
    /// How many of the requests were mutations that ran: their document and variables were valid and the resolvers
    /// started (counted as the first one starts), plus mutations a fault failed before they could run (`drop`, a status
    /// without `@after`). A mutation refused by validation or variable coercion is not counted here: no resolver ran.
    public var mutations = 0
    /// Mutation requests refused before any resolver ran: the document did not validate, or a variable could not be
    /// coerced to its type (what `launchq doctor` relies on).
    public var rejectedMutations = 0
    /// Requests whose operation selects `__schema` or `__type` at its root (answered or not).
    public var introspectionRequests = 0
    /// All `POST /graphql` requests.
    public var total = 0
    /// Injected faults by kind: the HTTP status (`"500"`, `"429"`, ...) or `"drop"`.
    public var faultsInjected: [String: Int] = [:]

    public init() {}

    /// Requests for one operation (0 when none arrived).
    public subscript(operation: String) -> Int { requestsByOperation[operation, default: 0] }
}

/// The sandbox's request bookkeeping: counters and the fault injector, shared by all connections.
actor RequestMonitor {
    private(set) var counters = SandboxCounters()
    private var injector: FaultInjector

    init(faults: FaultPlan) {
        injector = FaultInjector(plan: faults)
    }

    /// Counts a request and decides the fault to inject into it. A mutation that the fault fails before it can run
    /// counts as a mutation here; the others are counted by ``executing(mutation:)`` or ``rejected(mutation:)``.
    func arrived(operation: String, isMutation: Bool, selectsIntrospection: Bool = false, rootFields: Int = 1) -> FaultInjector.Decision {
        counters.total += 1
        counters.requestsByOperation[operation, default: 0] += 1
        if selectsIntrospection { counters.introspectionRequests += 1 }
        let decision = injector.decide(operation: operation, rootFields: rootFields)
        if isMutation, decision.failsBeforeExecution { counters.mutations += 1 }
        if let label = decision.label { counters.faultsInjected[label, default: 0] += 1 }
        return decision
    }

    /// A mutation passed validation and variable coercion: its first resolver starts.
    func executing(mutation: Bool) {
        if mutation { counters.mutations += 1 }
    }

    /// A mutation was refused by validation or variable coercion: no resolver ran.
    func rejected(mutation: Bool) {
        if mutation { counters.rejectedMutations += 1 }
    }

    /// Counts a request that never reached an operation (bad body, 401, ...).
    func rejected(as label: String) {
        counters.total += 1
        counters.requestsByOperation[label, default: 0] += 1
    }

    func reset() { counters = SandboxCounters() }

    /// Replaces the plan and restarts its random sequence from the plan's seed.
    func setFaults(_ plan: FaultPlan) { injector = FaultInjector(plan: plan) }

    var faults: FaultPlan { injector.plan }
}
