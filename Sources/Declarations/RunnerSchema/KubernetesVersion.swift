/// The Kubernetes minor version whose batch/v1 Job schema checks `kubernetes` resource configs.
///
/// launchq embeds the last four minor versions (`supported`); `newest` is the default of `--kubernetes-version`.
public struct KubernetesVersion: Sendable, Hashable, CustomStringConvertible {
    /// `major.minor`, e.g. `1.37`.
    public let minor: String

    /// Every embedded version, oldest first.
    public static let supported: [KubernetesVersion] = RunnerSchemaData.kubernetesVersions.map { KubernetesVersion(known: $0.version) }

    /// The newest embedded version.
    public static var newest: KubernetesVersion { supported[supported.count - 1] }

    private init(known minor: String) { self.minor = minor }

    /// Reads `1.35`, `v1.35` or `1.35.2`; `nil` when launchq embeds no schema for that minor version.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.first == "v" || text.first == "V" { text.removeFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        let minor = "\(Int(parts[0]) ?? -1).\(Int(parts[1]) ?? -1)"
        guard Self.supported.contains(where: { $0.minor == minor }) else { return nil }
        self.minor = minor
    }

    public var description: String { minor }
}
