import JSON

/// Settings the Launch agent refuses in a Kubernetes resource config, anywhere in it.
enum KubernetesRules {
    /// Keys refused whatever their value.
    static let refusedKeys: Set<String> = ["securityContext", "hostPath", "serviceAccountToken", "serviceAccountName", "serviceAccount"]
    /// Keys refused when their value is truthy.
    static let refusedWhenTruthy: Set<String> = [
        "hostPID", "hostIPC", "hostNetwork", "shareProcessNamespace", "hostUsers", "hostPort", "automountServiceAccountToken",
    ]

    static func check(_ node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        switch node.value {
        case .mapping(let entries):
            for entry in entries {
                let entryPath = path.appending(entry.key)
                if refusedKeys.contains(entry.key) {
                    sink.error(.kubernetesRefused, "the Launch agent refuses \(entry.key) in a Kubernetes config", at: entry.keyLocation, path: entryPath)
                } else if refusedWhenTruthy.contains(entry.key), isTruthy(entry.value) {
                    sink.error(
                        .kubernetesRefused, "the Launch agent refuses \(entry.key) set to \(CanonicalJSON.string(entry.value.json))",
                        at: entry.value.location, path: entryPath)
                } else if entry.key == "mountPropagation", entry.value.string == "Bidirectional" {
                    sink.error(.kubernetesRefused, "the Launch agent refuses mountPropagation: Bidirectional", at: entry.value.location, path: entryPath)
                } else if entry.key == "annotations", let annotations = entry.value.entries {
                    for annotation in annotations {
                        let key = annotation.key.lowercased()
                        if key.contains("apparmor") || key.contains("seccomp"), annotation.value.string?.lowercased().contains("unconfined") == true {
                            sink.error(
                                .kubernetesRefused, "the Launch agent refuses the unconfined annotation \(annotation.key)",
                                at: annotation.value.location, path: entryPath.appending(annotation.key))
                        }
                    }
                }
                check(entry.value, path: entryPath, sink: &sink)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() { check(item, path: path.appending(index), sink: &sink) }
        default:
            break
        }
    }

    /// Python truthiness, as the agent tests it: non-zero numbers, non-empty strings and collections, `true`.
    static func isTruthy(_ node: Node) -> Bool {
        switch node.value {
        case .null: false
        case .bool(let flag): flag
        case .integer(let number): number != 0
        case .number(let number): number != 0
        case .string(let text): !text.isEmpty
        case .sequence(let items): !items.isEmpty
        case .mapping(let entries): !entries.isEmpty
        }
    }
}
