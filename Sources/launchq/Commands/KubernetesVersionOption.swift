import ArgumentParser
import Declarations

/// `--kubernetes-version 1.NN`: the Kubernetes version whose batch/v1 Job schema checks `kubernetes` resource configs
/// (default: `$LAUNCHQ_KUBERNETES_VERSION`, else the newest launchq embeds).
struct KubernetesVersionOption: ParsableArguments {
    @Option(
        name: .customLong("kubernetes-version"),
        help: ArgumentHelp(
            "Check kubernetes resource configs against this Kubernetes version's Job schema: \(KubernetesVersion.supported.map(\.minor).joined(separator: ", ")) (default: $LAUNCHQ_KUBERNETES_VERSION or \(KubernetesVersion.newest)).",
            valueName: "1.NN"))
    var kubernetesVersion: KubernetesVersion?

    /// The flag, else `LAUNCHQ_KUBERNETES_VERSION`, else the newest embedded version.
    func resolved(environment: [String: String]) throws -> KubernetesVersion {
        if let kubernetesVersion { return kubernetesVersion }
        guard let text = environment["LAUNCHQ_KUBERNETES_VERSION"], !text.isEmpty else { return .newest }
        guard let version = KubernetesVersion(text) else {
            throw SettingsError(.invalid, "LAUNCHQ_KUBERNETES_VERSION must be one of \(KubernetesVersion.supported.map(\.minor).joined(separator: ", ")), got \(text)")
        }
        return version
    }
}

extension KubernetesVersion: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public static var allValueStrings: [String] { supported.map(\.minor) }
}
