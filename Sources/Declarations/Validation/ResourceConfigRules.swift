/// What the Launch agent's runners refuse at run time, caught before the config ships.
enum ResourceConfigRules {
    static func check(_ config: Node, type: ResourceType, path: JSONPointer, sink: inout DiagnosticSink) {
        if let builder = config["builder"] { checkBuilder(builder, path: path.appending("builder"), sink: &sink) }
        PlaceholderShapeRules.check(config, type: type, path: path, sink: &sink)
        switch type {
        case .kubernetes: KubernetesRules.check(config, path: path, sink: &sink)
        case .sagemaker: checkSagemaker(config, path: path, sink: &sink)
        case .gcpVertex: checkVertex(config, path: path, sink: &sink)
        case .localContainer: checkLocalContainer(config, path: path, sink: &sink)
        case .localProcess:
            if let entries = config.entries, entries.contains(where: { $0.key != "builder" }) {
                sink.warning(.localProcessIgnored, "the local-process runner ignores its resource config", at: config.location, path: path)
            }
        }
    }

    private static func checkBuilder(_ builder: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        for section in ["accelerator", "cuda"] {
            guard let image = builder[section]?["base_image"] else { continue }
            if image.string == nil {
                sink.error(
                    .builderBaseImage, "builder.\(section).base_image must be a string, not a \(image.typeName)", at: image.location,
                    path: path.appending(section).appending("base_image"))
            }
        }
    }

    private static func checkSagemaker(_ config: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        let roleKey = config["RoleArn"] != nil ? "RoleArn" : "role_arn"
        if let role = config[roleKey] {
            if role.string == nil {
                sink.error(.sagemakerRoleArn, "\(roleKey) must be a string, not a \(role.typeName)", at: role.location, path: path.appending(roleKey))
            }
        } else {
            sink.error(.sagemakerRoleArn, "missing RoleArn (or role_arn): the SageMaker runner needs an IAM role", at: config.location, path: path.appending("RoleArn"))
        }
        for key in ["ResourceConfig", "OutputDataConfig", "StoppingCondition"] where config[key] == nil {
            sink.error(.sagemakerMissing, "missing \(key): the SageMaker runner requires it", at: config.location, path: path.appending(key))
        }
    }

    static let vertexRunKeys: Set<String> = [
        "timeout", "service_account", "network", "enable_web_access", "experiment", "experiment_run", "tensorboard", "restart_job_on_worker_restart",
    ]

    private static func checkVertex(_ config: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        let specPath = path.appending("spec")
        let spec = config["spec"]
        let pools = spec?["worker_pool_specs"]
        if case .sequence(let items)? = pools?.value, !items.isEmpty {
            for (index, item) in items.enumerated() where item["container_spec"] == nil && !isWholePlaceholder(item) {
                sink.error(
                    .vertexWorkerPools, "worker pool \(index) has no container_spec", at: item.location,
                    path: specPath.appending("worker_pool_specs").appending(index))
            }
        } else if pools.map(isWholePlaceholder) != true {
            sink.error(
                .vertexWorkerPools, "spec.worker_pool_specs must be a non-empty list", at: pools?.location ?? spec?.location ?? config.location,
                path: specPath.appending("worker_pool_specs"))
        }
        if spec?["staging_bucket"] == nil {
            sink.error(.vertexStagingBucket, "missing spec.staging_bucket", at: spec?.location ?? config.location, path: specPath.appending("staging_bucket"))
        }
        for entry in config["run"]?.entries ?? [] where !vertexRunKeys.contains(entry.key) {
            sink.warning(
                .vertexRunKey, "the Vertex runner does not read run.\(entry.key)", at: entry.keyLocation, path: path.appending("run").appending(entry.key),
                hint: Suggestion.hint(for: entry.key, among: vertexRunKeys))
        }
    }

    static let localContainerOptions: Set<String> = [
        "command", "cpu", "cpu-period", "cpu-quota", "cpu-shares", "cpus", "cpuset-cpus", "cpuset-mems", "e", "env", "gpus", "m", "memory",
        "memory-reservation", "memory-swap", "name", "pids-limit", "platform", "shm-size", "ulimit", "w", "workdir",
    ]

    private static func checkLocalContainer(_ config: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        for entry in config.entries ?? [] where entry.key != "builder" {
            var option = Substring(entry.key)
            while option.first == "-" { option.removeFirst() }
            let normalised = option.replacingUnderscores().lowercased()
            let entryPath = path.appending(entry.key)
            guard localContainerOptions.contains(normalised) else {
                sink.error(
                    .localContainerKey, "\"\(entry.key)\" is not a docker run option the local-container runner passes", at: entry.keyLocation,
                    path: entryPath, hint: Suggestion.hint(for: normalised, among: localContainerOptions))
                continue
            }
            let listAllowed = ["e", "env", "ulimit"].contains(normalised)
            switch entry.value.value {
            case .string, .integer, .number:
                break
            case .sequence(let items) where listAllowed:
                if items.isEmpty {
                    sink.error(.localContainerValue, "\"\(entry.key)\" must not be an empty list", at: entry.value.location, path: entryPath)
                }
                for (index, item) in items.enumerated() {
                    switch item.value {
                    case .string, .integer, .number: break
                    default:
                        sink.error(
                            .localContainerValue, "items of \"\(entry.key)\" must be strings or numbers, not a \(item.typeName)", at: item.location,
                            path: entryPath.appending(index))
                    }
                }
            default:
                let allowed = listAllowed ? "a string, a number or a list of them" : "a string or a number"
                sink.error(
                    .localContainerValue, "\"\(entry.key)\" must be \(allowed), not a \(entry.value.typeName)", at: entry.value.location, path: entryPath)
            }
        }
    }

    /// A string that is exactly one placeholder: its value arrives at launch, so it satisfies "present".
    static func isWholePlaceholder(_ node: Node) -> Bool {
        guard let text = node.string, PlaceholderTemplate.mayContainPlaceholder(text) else { return false }
        return PlaceholderTemplate(text).wholeVariable != nil
    }
}

extension Substring {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
