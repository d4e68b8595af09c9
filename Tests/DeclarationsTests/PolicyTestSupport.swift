import Declarations
import Testing

/// A `kind: Policy` document with `rules` (YAML lines indented two spaces) and optional scope/severity lines.
func policyYAML(_ rules: String, name: String = "guard", extra: String = "") -> String {
    "apiVersion: launchq/v1\nkind: Policy\nname: \(name)\n\(extra)rules:\n" + rules + "---\n"
}

/// The policy findings (codes `policy.*`) of validating `policy` and then `queue` in one file.
func policyFindings(_ policy: String, _ queue: String) -> [Diagnostic] {
    validate(policy + queue).diagnostics.filter { $0.code.rawValue.hasPrefix("policy.") }
}

/// A Kubernetes Job queue named q1 with a GPU limit, parallelism and template variables as given.
func jobQueue(gpus: String = "1", parallelism: String? = nil, variables: String = "", extraSpec: String = "", namespace: String = "training") -> String {
    var lines = [
        "resource_config:",
        "  apiVersion: batch/v1",
        "  kind: Job",
        "  metadata:",
        "    namespace: \(namespace)",
        "    labels: {team: vision}",
        "  spec:",
    ]
    if let parallelism { lines.append("    parallelism: \(parallelism)") }
    if !extraSpec.isEmpty { lines.append(extraSpec) }
    lines += [
        "    template:",
        "      spec:",
        "        containers:",
        "          - name: main",
        "            image: us-docker.pkg.dev/acme/train:1",
        "            resources:",
        "              limits: {cpu: \"4\", memory: 16Gi, nvidia.com/gpu: \(gpus)}",
    ]
    return queueYAML(lines.joined(separator: "\n") + "\n" + variables)
}
