/// A whole-value placeholder (`"{{x}}"` as the entire value) where the Launch agent's runner needs a list or a
/// mapping: a template variable is a string or a number, so the runner would fail on every job.
///
/// The places come from the runners (`../shared/wandb/launch-semantics.md` §5): what each one reads as a
/// mapping or a list, merges into, or appends to.
enum PlaceholderShapeRules {
    /// What the runner needs at a place.
    enum Shape: String {
        case list, mapping
    }

    /// A place in a resource config (`*` is every item of a list) and the shape the runner needs there.
    struct Place {
        let pattern: [String]
        let shape: Shape

        init(_ pattern: String, _ shape: Shape) {
            self.pattern = pattern.split(separator: ".").map(String.init)
            self.shape = shape
        }
    }

    /// Read by every runner through the image builder.
    static let builder: [Place] = [.init("builder", .mapping), .init("builder.accelerator", .mapping), .init("builder.cuda", .mapping)]

    /// Any Kubernetes manifest: the namespace is read from `metadata`, labels and annotations are added to it.
    static let kubernetes: [Place] = [.init("metadata", .mapping), .init("metadata.labels", .mapping), .init("metadata.annotations", .mapping)]

    /// A `batch/v1` Job (the default `apiVersion`): the runner fills in the pod template and its containers.
    static let kubernetesJob: [Place] = [
        .init("spec", .mapping), .init("spec.template", .mapping), .init("spec.template.metadata", .mapping),
        .init("spec.template.spec", .mapping),
        .init("spec.template.spec.containers", .list), .init("spec.template.spec.containers.*", .mapping),
        .init("spec.template.spec.containers.*.env", .list),
        .init("spec.template.spec.initContainers", .list), .init("spec.template.spec.initContainers.*", .mapping),
    ]

    /// `CreateTrainingJob` arguments the SageMaker runner merges into or appends to (both key spellings). The sections
    /// it only requires to be present (`ResourceConfig`, `OutputDataConfig`, `StoppingCondition`) may be one placeholder.
    static let sagemaker: [Place] = [
        .init("AlgorithmSpecification", .mapping), .init("algorithm_specification", .mapping),
        .init("Environment", .mapping), .init("environment", .mapping),
        .init("Tags", .list), .init("tags", .list), .init("Tags.*", .mapping), .init("tags.*", .mapping),
    ]

    /// What the Vertex runner hands to `aiplatform.CustomJob` and `CustomJob.run`.
    static let vertex: [Place] = [
        .init("spec", .mapping), .init("spec.worker_pool_specs", .list), .init("spec.worker_pool_specs.*", .mapping),
        .init("spec.worker_pool_specs.*.container_spec", .mapping), .init("spec.worker_pool_specs.*.container_spec.env", .list),
        .init("spec.worker_pool_specs.*.machine_spec", .mapping), .init("spec.labels", .mapping), .init("run", .mapping),
    ]

    /// The places of a resource type's config (the config itself being a mapping is `resource.config-type`'s rule).
    static func places(for type: ResourceType, config: Node) -> [Place] {
        switch type {
        case .kubernetes: builder + kubernetes + (isJob(config) ? kubernetesJob : [])
        case .sagemaker: builder + sagemaker
        case .gcpVertex: builder + vertex
        case .localContainer, .localProcess: builder
        }
    }

    static func check(_ config: Node, type: ResourceType, path: JSONPointer, sink: inout DiagnosticSink) {
        for place in places(for: type, config: config) {
            visit(config, pattern: place.pattern[...], place: place, type: type, path: path, sink: &sink)
        }
    }

    /// Without `apiVersion` (or with a placeholder there) the runner makes a `batch/v1` Job.
    private static func isJob(_ config: Node) -> Bool {
        guard let version = config["apiVersion"]?.string else { return true }
        return version == "batch/v1" || version == "batch/v1beta1" || ResourceConfigRules.isWholePlaceholder(config["apiVersion"]!)
    }

    private static func visit(
        _ node: Node, pattern: ArraySlice<String>, place: Place, type: ResourceType, path: JSONPointer, sink: inout DiagnosticSink
    ) {
        guard let head = pattern.first else {
            guard ResourceConfigRules.isWholePlaceholder(node), let text = node.string else { return }
            let shown = place.pattern.joined(separator: ".")
            sink.error(
                .templatePlaceholderShape,
                "\(text) fills \(shown) with a string or a number, but the \(type.rawValue) runner needs a \(place.shape.rawValue) there",
                at: node.location, path: path,
                hint: "write the \(place.shape.rawValue) and put placeholders in its values; a template variable is a string or a number")
            return
        }
        if head == "*" {
            guard case .sequence(let items) = node.value else { return }
            for (index, item) in items.enumerated() {
                visit(item, pattern: pattern.dropFirst(), place: place, type: type, path: path.appending(index), sink: &sink)
            }
        } else if let child = node[head] {
            visit(child, pattern: pattern.dropFirst(), place: place, type: type, path: path.appending(head), sink: &sink)
        }
    }
}
