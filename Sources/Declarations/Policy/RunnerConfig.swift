import JSON

/// A value of a queue's document and where it is.
struct Located {
    var value: JSONValue
    /// From the document root (`/resource_config/...`).
    var path: JSONPointer
}

/// Finds what the guardrails look at in a queue's runner config.
struct RunnerConfig {
    let type: ResourceType
    let worst: WorstCase
    /// The whole config, at `/resource_config`.
    let top: Located
    /// Every container of a Kubernetes manifest, found once (several rules and policies read them).
    private(set) var containers: [Container] = []

    init(_ queue: RunQueue) {
        type = queue.resourceType
        worst = WorstCase(queue)
        top = Located(value: queue.resourceConfig, path: JSONPointer(["resource_config"]))
        if type == .kubernetes {
            var found: [Container] = []
            walk(top, copies: [], into: &found)
            containers = found
        }
    }

    /// The member `name` of an object. SageMaker and Vertex keys also match in the other case style
    /// (`instance_type` for `InstanceType`), as the Launch agent converts them.
    func member(_ located: Located?, _ name: String) -> Located? {
        guard let located, let object = located.value.object else { return nil }
        if let value = object[name] { return Located(value: value, path: located.path.appending(name)) }
        guard type != .kubernetes else { return nil }
        let target = Self.normal(name)
        for key in object.keys.sorted() where Self.normal(key) == target {
            return Located(value: object[key]!, path: located.path.appending(key))
        }
        return nil
    }

    /// The elements of a list.
    func items(_ located: Located?) -> [Located] {
        guard let located, let items = located.value.array else { return [] }
        return items.enumerated().map { Located(value: $1, path: located.path.appending($0)) }
    }

    private static func normal(_ key: String) -> String { String(key.lowercased().filter { $0 != "_" }) }

    // MARK: Kubernetes

    /// A container of a Kubernetes manifest, with how many copies of it run at once.
    struct Container {
        var node: Located
        var isInit: Bool
        /// `parallelism` and `replicas` of the objects around it, innermost last.
        var copies: [(label: String, count: Located)]
    }

    /// Every `containers` and `initContainers` entry anywhere in the manifest (a Job, or a custom object
    /// such as a PyTorchJob whose replica specs hold pod templates).
    func kubernetesContainers() -> [Container] { containers }

    private func walk(_ located: Located, copies: [(label: String, count: Located)], into found: inout [Container]) {
        switch located.value {
        case .object(let members):
            var copies = copies
            for key in ["parallelism", "replicas"] where members[key] != nil {
                copies.append((key, Located(value: members[key]!, path: located.path.appending(key))))
            }
            for key in members.keys.sorted() {
                let child = Located(value: members[key]!, path: located.path.appending(key))
                if key == "containers" || key == "initContainers", child.value.array != nil {
                    for item in items(child) { found.append(Container(node: item, isInit: key == "initContainers", copies: copies)) }
                } else {
                    walk(child, copies: copies, into: &found)
                }
            }
        case .array:
            for item in items(located) { walk(item, copies: copies, into: &found) }
        default:
            break
        }
    }

    /// Every `activeDeadlineSeconds` in the manifest.
    func kubernetesDeadlines() -> [Located] {
        var found: [Located] = []
        func visit(_ located: Located) {
            if let members = located.value.object {
                for key in members.keys.sorted() {
                    let child = Located(value: members[key]!, path: located.path.appending(key))
                    if key == "activeDeadlineSeconds" { found.append(child) } else { visit(child) }
                }
            } else if located.value.array != nil {
                items(located).forEach(visit)
            }
        }
        visit(top)
        return found
    }

    /// `metadata.namespace`, else the top-level `namespace` the agent also reads.
    var kubernetesNamespace: Located? {
        member(member(top, "metadata"), "namespace") ?? member(top, "namespace")
    }

    // MARK: SageMaker and Vertex

    /// SageMaker instance groups (`ResourceConfig.InstanceGroups`, else `ResourceConfig` itself):
    /// the instance type and count of each.
    func sagemakerGroups() -> [(type: Located?, count: Located?, at: Located)] {
        guard let resources = member(top, "ResourceConfig") else { return [] }
        let groups = items(member(resources, "InstanceGroups"))
        return (groups.isEmpty ? [resources] : groups).map { (member($0, "InstanceType"), member($0, "InstanceCount"), $0) }
    }

    /// Vertex worker pools (`spec.worker_pool_specs`).
    func vertexPools() -> [Located] { items(member(member(top, "spec"), "worker_pool_specs")) }

    /// Every image the config declares: container images, SageMaker's training image, Vertex's image URIs,
    /// and the builder's base images.
    func images() -> [Located] {
        var found: [Located] = []
        switch type {
        case .kubernetes:
            for container in kubernetesContainers() { if let image = member(container.node, "image") { found.append(image) } }
        case .sagemaker:
            if let image = member(member(top, "AlgorithmSpecification"), "TrainingImage") { found.append(image) }
        case .gcpVertex:
            for pool in vertexPools() {
                if let image = member(member(pool, "container_spec"), "image_uri") { found.append(image) }
                if let image = member(member(pool, "python_package_spec"), "executor_image_uri") { found.append(image) }
            }
        case .localContainer, .localProcess:
            break
        }
        let builder = member(top, "builder")
        for section in ["accelerator", "cuda"] {
            if let image = member(member(builder, section), "base_image") { found.append(image) }
        }
        return found
    }

    /// The labels jobs get: Kubernetes `metadata.labels`, Vertex `spec.labels`, SageMaker `Tags` keys;
    /// `nil` for runners without labels.
    func labels() -> (names: Set<String>, at: JSONPointer)? {
        switch type {
        case .kubernetes:
            let labels = member(member(top, "metadata"), "labels")
            return (Set(labels?.value.object.map { Array($0.keys) } ?? []), labels?.path ?? top.path.appending("metadata"))
        case .gcpVertex:
            let spec = member(top, "spec")
            let labels = member(spec, "labels")
            return (Set(labels?.value.object.map { Array($0.keys) } ?? []), labels?.path ?? spec?.path ?? top.path)
        case .sagemaker:
            let tags = member(top, "Tags")
            let names = items(tags).compactMap { member($0, "Key")?.value.string }
            return (Set(names), tags?.path ?? top.path)
        case .localContainer, .localProcess:
            return nil
        }
    }
}
