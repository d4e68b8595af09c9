import Foundation

/// How holders of the reconciler lease name themselves. `launchq serve` replicas use their replica id; a
/// `launchq apply` from the command line takes the same lease under a name starting with ``applyPrefix``, so a
/// replica can tell (and say in `/v1/status`) that a CLI apply is writing. A holder name is a description, never a secret.
public enum LeaseHolder {
    /// What every `launchq apply` holder name starts with.
    public static let applyPrefix = "launchq apply"

    /// `launchq apply by USER on HOST (pid PID)`.
    public static func apply(
        user: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown", host: String = ProcessInfo.processInfo.hostName,
        pid: Int32 = ProcessInfo.processInfo.processIdentifier
    ) -> String {
        "\(applyPrefix) by \(user) on \(host) (pid \(pid))"
    }

    /// Whether `holder` is a `launchq apply` from the command line.
    public static func isApply(_ holder: String) -> Bool { holder.hasPrefix(applyPrefix) }
}
