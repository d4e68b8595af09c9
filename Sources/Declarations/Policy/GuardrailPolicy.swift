/// An organisation's guardrails for run queues (`kind: Policy`): rules every queue in its scope must keep.
///
/// launchq evaluates them offline, against the worst case each template variable allows; W&B never sees a
/// Policy. An `error` policy makes a breaking bundle invalid (refused by `validate`, `plan`, push and source
/// sync); a `warning` policy only warns.
public struct GuardrailPolicy: Sendable, Equatable {
    /// How much breaking the policy matters.
    public enum Severity: String, Sendable, CaseIterable, Codable {
        case error, warning
    }

    /// Which queues the policy applies to; an empty list means all.
    public struct Scope: Sendable, Equatable {
        /// Entity name globs (`*` any run of characters, `?` one character).
        public var entities: [String]
        /// Queue name globs.
        public var queues: [String]
        /// Runner types.
        public var resourceTypes: [ResourceType]

        public init(entities: [String] = [], queues: [String] = [], resourceTypes: [ResourceType] = []) {
            self.entities = entities
            self.queues = queues
            self.resourceTypes = resourceTypes
        }

        /// Whether `queue` is in scope.
        public func contains(_ queue: RunQueue) -> Bool {
            (resourceTypes.isEmpty || resourceTypes.contains(queue.resourceType))
                && (entities.isEmpty || entities.contains { Glob.matches($0, queue.entity) })
                && (queues.isEmpty || queues.contains { Glob.matches($0, queue.name) })
        }
    }

    /// The fixed vocabulary of rules; an absent rule is not checked.
    public struct Rules: Sendable, Equatable {
        /// At most this many GPUs per job: Kubernetes GPU limits × parallelism (or replicas), SageMaker
        /// instance count × GPUs of the instance type, Vertex accelerator_count × replica_count.
        public var maxGPUsPerJob: Int?
        /// Limits every Kubernetes container must set, such as `cpu` and `memory`.
        public var requireLimits: [String]?
        /// Kubernetes namespaces a queue may run in.
        public var allowedNamespaces: [String]?
        /// Prefixes every declared container image must start with.
        public var allowedImagePrefixes: [String]?
        /// SageMaker instance types and Vertex machine types a queue may use.
        public var allowedInstanceTypes: [String]?
        /// Labels (SageMaker tags) a queue's jobs must carry.
        public var requiredLabels: [String]?
        /// The longest a job may run: SageMaker `StoppingCondition`, Kubernetes `activeDeadlineSeconds`,
        /// Vertex `run.timeout` or `spec.scheduling.timeout`.
        public var maxRuntimeSeconds: Int?
        /// External link labels every queue must have.
        public var requiredLinks: [String]?
        /// The prioritization mode every queue must have.
        public var prioritizationMode: PrioritizationMode?

        public init(
            maxGPUsPerJob: Int? = nil, requireLimits: [String]? = nil, allowedNamespaces: [String]? = nil,
            allowedImagePrefixes: [String]? = nil, allowedInstanceTypes: [String]? = nil, requiredLabels: [String]? = nil,
            maxRuntimeSeconds: Int? = nil, requiredLinks: [String]? = nil, prioritizationMode: PrioritizationMode? = nil
        ) {
            self.maxGPUsPerJob = maxGPUsPerJob
            self.requireLimits = requireLimits
            self.allowedNamespaces = allowedNamespaces
            self.allowedImagePrefixes = allowedImagePrefixes
            self.allowedInstanceTypes = allowedInstanceTypes
            self.requiredLabels = requiredLabels
            self.maxRuntimeSeconds = maxRuntimeSeconds
            self.requiredLinks = requiredLinks
            self.prioritizationMode = prioritizationMode
        }

        /// The rule names as written in declarations.
        public static let names = [
            "max_gpus_per_job", "require_limits", "allowed_namespaces", "allowed_image_prefixes", "allowed_instance_types",
            "required_labels", "max_runtime_seconds", "required_links", "prioritization_mode",
        ]

        /// Whether no rule is set.
        public var isEmpty: Bool { self == Rules() }
    }

    public var name: String
    public var scope: Scope
    public var severity: Severity
    public var rules: Rules

    public init(name: String, scope: Scope = Scope(), severity: Severity = .error, rules: Rules = Rules()) {
        self.name = name
        self.scope = scope
        self.severity = severity
        self.rules = rules
    }
}

/// Shell-style name globs: `*` matches any run of characters, `?` one character, everything else itself.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        if !pattern.contains("*") && !pattern.contains("?") { return pattern == text }
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var (pi, ti) = (0, 0)
        var star: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = (pi, ti)
                pi += 1
            } else if let last = star {
                pi = last.p + 1
                ti = last.t + 1
                star = (last.p, last.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
