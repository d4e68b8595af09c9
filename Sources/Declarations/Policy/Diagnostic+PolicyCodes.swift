/// The stable diagnostic codes of `kind: Policy`: one per rule a queue can break, and the policy's own checks.
extension Diagnostic.Code {
    /// A job may use more GPUs than `max_gpus_per_job`.
    public static let policyMaxGPUsPerJob = Self(rawValue: "policy.max-gpus-per-job")
    /// A Kubernetes container without a limit `require_limits` names.
    public static let policyRequireLimits = Self(rawValue: "policy.require-limits")
    /// A Kubernetes namespace outside `allowed_namespaces` (or none declared).
    public static let policyAllowedNamespaces = Self(rawValue: "policy.allowed-namespaces")
    /// An image outside `allowed_image_prefixes`.
    public static let policyAllowedImagePrefixes = Self(rawValue: "policy.allowed-image-prefixes")
    /// A SageMaker instance type or Vertex machine type outside `allowed_instance_types`.
    public static let policyAllowedInstanceTypes = Self(rawValue: "policy.allowed-instance-types")
    /// A label (SageMaker tag) `required_labels` names is missing.
    public static let policyRequiredLabels = Self(rawValue: "policy.required-labels")
    /// A job may run longer than `max_runtime_seconds`.
    public static let policyMaxRuntimeSeconds = Self(rawValue: "policy.max-runtime-seconds")
    /// An external link `required_links` names is missing.
    public static let policyRequiredLinks = Self(rawValue: "policy.required-links")
    /// The queue's prioritization mode is not the one `prioritization_mode` requires.
    public static let policyPrioritizationMode = Self(rawValue: "policy.prioritization-mode")
    /// A policy with no rules (warning).
    public static let policyEmpty = Self(rawValue: "policy.empty")

    /// The code of a violation of `rule` (a name from ``GuardrailPolicy/Rules/names``).
    public static func policy(rule: String) -> Self {
        Self(rawValue: "policy." + String(rule.map { $0 == "_" ? "-" : $0 }))
    }
}
