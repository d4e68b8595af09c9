import JSON

/// One way a queue breaks a rule of a policy.
public struct PolicyViolation: Sendable, Equatable {
    /// The rule as written in the policy (`max_gpus_per_job`).
    public var rule: String
    /// What breaks it.
    public var message: String
    /// Where in the queue's document.
    public var path: JSONPointer

    public init(rule: String, message: String, path: JSONPointer) {
        self.rule = rule
        self.message = message
        self.path = path
    }
}

/// Checks a queue against the rules of a policy, taking the worst case each template variable allows.
/// Pure; rules that do not apply to the queue's runner are skipped.
public enum PolicyEvaluator {
    /// Every violation of `rules` by `queue`, rule by rule in the documented order.
    public static func violations(of queue: RunQueue, against rules: GuardrailPolicy.Rules) -> [PolicyViolation] {
        violations(of: queue, RunnerConfig(queue), against: rules)
    }

    /// The same, with the queue's config already read (one read serves every policy).
    static func violations(of queue: RunQueue, _ config: RunnerConfig, against rules: GuardrailPolicy.Rules) -> [PolicyViolation] {
        var found: [PolicyViolation] = []
        if let limit = rules.maxGPUsPerJob { maxGPUs(limit, config, into: &found) }
        if let limits = rules.requireLimits, queue.resourceType == .kubernetes { requireLimits(limits, config, into: &found) }
        if let allowed = rules.allowedNamespaces, queue.resourceType == .kubernetes { namespaces(allowed, config, into: &found) }
        if let prefixes = rules.allowedImagePrefixes { images(prefixes, config, into: &found) }
        if let allowed = rules.allowedInstanceTypes { instanceTypes(allowed, config, into: &found) }
        if let required = rules.requiredLabels, let labels = config.labels() {
            let word = queue.resourceType == .sagemaker ? "tag" : "label"
            for name in required where !labels.names.contains(name) {
                found.append(PolicyViolation(rule: "required_labels", message: "the \(word) \"\(name)\" is missing", path: labels.at))
            }
        }
        if let limit = rules.maxRuntimeSeconds { maxRuntime(limit, config, into: &found) }
        if let required = rules.requiredLinks {
            for label in required where queue.externalLinks[label] == nil {
                found.append(PolicyViolation(
                    rule: "required_links", message: "the external link \"\(label)\" is missing", path: JSONPointer(["external_links"])))
            }
        }
        if let mode = rules.prioritizationMode, queue.prioritizationMode != mode {
            found.append(PolicyViolation(
                rule: "prioritization_mode", message: "prioritization_mode is \(queue.prioritizationMode.rawValue); the policy requires \(mode.rawValue)",
                path: JSONPointer(["prioritization_mode"])))
        }
        return found
    }

    // MARK: GPUs

    private static func maxGPUs(_ limit: Int, _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        guard let (total, at) = gpus(config) else { return }
        let message: String
        switch total {
        case .at(let count, let why) where count > Double(limit):
            message = "a job may use \(WorstCase.format(count)) GPUs, over the limit of \(limit): \(why)"
        case .unbounded(let why):
            message = "the GPUs of a job have no bound, over the limit of \(limit): \(why)"
        default:
            return
        }
        found.append(PolicyViolation(rule: "max_gpus_per_job", message: message, path: at))
    }

    /// The worst-case GPUs of one job and where the largest part of it is declared; `nil` for local runners.
    static func gpus(_ config: RunnerConfig) -> (WorstCase.Number, JSONPointer)? {
        var terms: [(WorstCase.Number, JSONPointer)] = []
        let worst = config.worst
        switch config.type {
        case .kubernetes:
            for container in config.kubernetesContainers() where !container.isInit {
                let resources = config.member(container.node, "resources")
                for resource in ["nvidia.com/gpu", "amd.com/gpu"] {
                    guard let count = config.member(config.member(resources, "limits"), resource)
                        ?? config.member(config.member(resources, "requests"), resource)
                    else { continue }
                    var term = labelled(resource, worst.number(count.value))
                    for copies in container.copies { term = term * labelled(copies.label, worst.number(copies.count.value)) }
                    terms.append((term, count.path))
                }
            }
        case .sagemaker:
            for group in config.sagemakerGroups() {
                guard let type = group.type else { continue }
                let count = group.count.map { worst.number($0.value) } ?? .at(1, "1")
                terms.append((labelled("InstanceCount", count) * instanceGPUs(worst.text(type.value)), type.path))
            }
        case .gcpVertex:
            for pool in config.vertexPools() {
                guard let accelerators = config.member(config.member(pool, "machine_spec"), "accelerator_count") else { continue }
                let replicas = config.member(pool, "replica_count").map { worst.number($0.value) } ?? .at(1, "1")
                terms.append((labelled("accelerator_count", worst.number(accelerators.value)) * labelled("replica_count", replicas), accelerators.path))
            }
        case .localContainer, .localProcess:
            return nil
        }
        guard var total = terms.first?.0 else { return (.at(0, "no GPUs are declared"), config.top.path) }
        for term in terms.dropFirst() { total = total + term.0 }
        let at = terms.first { $0.0.value == nil }?.1 ?? terms.max { ($0.0.value ?? 0) < ($1.0.value ?? 0) }!.1
        return (total, at)
    }

    private static func labelled(_ label: String, _ number: WorstCase.Number) -> WorstCase.Number {
        switch number {
        case .at(let value, let why): .at(value, "\(label) \(why)")
        case .unbounded(let why): .unbounded("\(label) \(why)")
        }
    }

    private static func instanceGPUs(_ types: WorstCase.Text) -> WorstCase.Number {
        switch types {
        case .open(_, let why): return .unbounded("the instance type is not fixed: \(why)")
        case .values(let values):
            var most: (count: Int, type: String)?
            for type in values {
                guard let count = SageMakerInstanceGPUs.count(type) else {
                    return .unbounded("launchq does not know how many GPUs \(type) has")
                }
                if count >= (most?.count ?? -1) { most = (count, type) }
            }
            guard let most else { return .at(0, "no instance type") }
            return .at(Double(most.count), "\(most.count) GPUs of \(most.type)")
        }
    }

    // MARK: Kubernetes

    private static func requireLimits(_ limits: [String], _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        let containers = config.kubernetesContainers()
        guard !containers.isEmpty else {
            found.append(PolicyViolation(
                rule: "require_limits",
                message: "the manifest declares no containers; the one the Launch agent adds has no \(limits.joined(separator: " or ")) limit",
                path: config.top.path))
            return
        }
        for container in containers {
            let declared = config.member(config.member(container.node, "resources"), "limits")
            let name = config.member(container.node, "name")?.value.string.map { "container \"\($0)\"" } ?? "a container"
            for limit in limits where declared?.value[limit].map({ !$0.isNull }) != true {
                found.append(PolicyViolation(
                    rule: "require_limits", message: "\(name) sets no \(limit) limit (resources.limits.\(limit))",
                    path: declared?.path ?? container.node.path))
            }
        }
    }

    private static func namespaces(_ allowed: [String], _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        guard let namespace = config.kubernetesNamespace else {
            found.append(PolicyViolation(
                rule: "allowed_namespaces",
                message: "no namespace is declared, so the Launch agent's default is used; allowed: \(allowed.joined(separator: ", "))",
                path: config.top.path.appending("metadata")))
            return
        }
        member(of: namespace, in: allowed, what: "namespace", rule: "allowed_namespaces", config, into: &found)
    }

    // MARK: Images and instance types

    private static func images(_ prefixes: [String], _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        for image in config.images() where image.value != .string("${image_uri}") {
            let allowed = "allowed prefixes: \(prefixes.map { "\"\($0)\"" }.joined(separator: ", "))"
            switch config.worst.text(image.value) {
            case .open(let prefix, let why) where !prefixes.contains(where: { prefix.hasPrefix($0) }):
                found.append(PolicyViolation(rule: "allowed_image_prefixes", message: "the image is not fixed (\(why)); \(allowed)", path: image.path))
            case .values(let values):
                for value in values where !prefixes.contains(where: { value.hasPrefix($0) }) {
                    found.append(PolicyViolation(
                        rule: "allowed_image_prefixes", message: "the image may be \"\(value)\", outside the \(allowed)", path: image.path))
                }
            default:
                break
            }
        }
    }

    private static func instanceTypes(_ allowed: [String], _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        var declared: [(Located?, JSONPointer)] = []
        switch config.type {
        case .sagemaker: declared = config.sagemakerGroups().map { ($0.type, $0.at.path) }
        case .gcpVertex: declared = config.vertexPools().map { (config.member(config.member($0, "machine_spec"), "machine_type"), $0.path) }
        default: return
        }
        if declared.isEmpty { declared = [(nil, config.top.path)] }
        let what = config.type == .sagemaker ? "instance type" : "machine type"
        for (type, at) in declared {
            guard let type else {
                found.append(PolicyViolation(
                    rule: "allowed_instance_types", message: "no \(what) is declared; allowed: \(allowed.joined(separator: ", "))", path: at))
                continue
            }
            member(of: type, in: allowed, what: what, rule: "allowed_instance_types", config, into: &found)
        }
    }

    /// A string that must take only values in `allowed`.
    private static func member(
        of located: Located, in allowed: [String], what: String, rule: String, _ config: RunnerConfig, into found: inout [PolicyViolation]
    ) {
        let list = allowed.joined(separator: ", ")
        switch config.worst.text(located.value) {
        case .open(_, let why):
            found.append(PolicyViolation(rule: rule, message: "the \(what) is not fixed (\(why)); allowed: \(list)", path: located.path))
        case .values(let values):
            for value in values where !allowed.contains(value) {
                found.append(PolicyViolation(rule: rule, message: "the \(what) may be \"\(value)\", which is not allowed (allowed: \(list))", path: located.path))
            }
        }
    }

    // MARK: Runtime

    private static func maxRuntime(_ limit: Int, _ config: RunnerConfig, into found: inout [PolicyViolation]) {
        let worst = config.worst
        var bounds: [(WorstCase.Number, JSONPointer)] = []
        var fallback: (WorstCase.Number, JSONPointer)
        switch config.type {
        case .kubernetes:
            bounds = config.kubernetesDeadlines().map { (worst.number($0.value), $0.path) }
            fallback = (.unbounded("no activeDeadlineSeconds is declared, so a job may run forever"), config.top.path.appending("spec"))
        case .sagemaker:
            let condition = config.member(config.top, "StoppingCondition")
            bounds = config.member(condition, "MaxRuntimeInSeconds").map { [(worst.number($0.value), $0.path)] } ?? []
            fallback = (.at(86_400, "StoppingCondition.MaxRuntimeInSeconds is not set: SageMaker's default is 1 day"), condition?.path ?? config.top.path)
        case .gcpVertex:
            if let timeout = config.member(config.member(config.top, "run"), "timeout") { bounds.append((worst.number(timeout.value), timeout.path)) }
            if let timeout = config.member(config.member(config.member(config.top, "spec"), "scheduling"), "timeout") {
                bounds.append((duration(timeout.value, worst), timeout.path))
            }
            fallback = (.at(604_800, "no run.timeout or spec.scheduling.timeout is set: Vertex's default is 7 days"), config.top.path)
        case .localContainer, .localProcess:
            return
        }
        // The strictest bound ends the job first.
        let (runtime, at) = bounds.filter { $0.0.value != nil }.min { $0.0.value! < $1.0.value! } ?? bounds.first ?? fallback
        switch runtime {
        case .at(let seconds, let why) where seconds > Double(limit):
            found.append(PolicyViolation(
                rule: "max_runtime_seconds", message: "a job may run \(WorstCase.format(seconds)) s, over the limit of \(limit) s: \(why)", path: at))
        case .unbounded(let why):
            found.append(PolicyViolation(rule: "max_runtime_seconds", message: "the runtime has no bound, over the limit of \(limit) s: \(why)", path: at))
        default:
            break
        }
    }

    /// A protobuf duration such as `"86400s"`, or a number of seconds.
    private static func duration(_ value: JSONValue, _ worst: WorstCase) -> WorstCase.Number {
        if let text = value.string, text.hasSuffix("s"), let seconds = Double(text.dropLast()) { return .at(seconds, "\"\(text)\"") }
        return worst.number(value)
    }
}
