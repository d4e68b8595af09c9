import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler
import ReconcilerStore
import Store
import WandbAPI

/// Options shared by `plan` and `apply`: where the declarations are, the policy defaults, W&B and the
/// optional database.
struct ReconcileOptions: ParsableArguments {
    @Option(name: .customLong("drift"), help: "Default drift policy: correct or report (default: $LAUNCHQ_DRIFT or correct).")
    var drift: Policy.Drift?

    @Flag(name: .customLong("prune"), help: "Delete queues on W&B that are no longer declared (default: $LAUNCHQ_PRUNE or off).")
    var prune = false

    @Flag(
        name: .customLong("prune-members"),
        help: "Remove team members and pending invites on W&B that a declared Team does not list; users are never deleted (default: $LAUNCHQ_PRUNE_MEMBERS or off).")
    var pruneMembers = false

    @Flag(
        name: .customLong("allow-nonempty-delete"),
        help: "Delete a queue even when items wait on it (default: $LAUNCHQ_ALLOW_NONEMPTY_DELETE or off: such a deletion is refused).")
    var allowNonemptyDelete = false

    @Option(
        name: .customLong("max-deletions"),
        help: ArgumentHelp(
            "Most objects one plan deletes; past it nothing is applied (default: $LAUNCHQ_MAX_DELETIONS, else 5 or 10% of the managed objects, whichever is larger).",
            valueName: "n"))
    var maxDeletions: Int?

    @OptionGroup var wandb: WandbOptions

    @OptionGroup var kubernetes: KubernetesVersionOption

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp("Record events and object status in PostgreSQL (default: $DATABASE_URL; none: files only).", valueName: "url"))
    var databaseURL: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The planner's defaults, flag > environment > default.
    func plannerConfiguration() throws -> Planner.Configuration {
        var configuration = Planner.Configuration()
        if let drift {
            configuration.drift = drift
        } else if let text = environment["LAUNCHQ_DRIFT"], !text.isEmpty {
            guard let value = Policy.Drift(rawValue: text) else { throw SettingsError(.invalid, "LAUNCHQ_DRIFT must be correct or report, got \(text)") }
            configuration.drift = value
        }
        configuration.prune = prune || Self.isOn(environment["LAUNCHQ_PRUNE"])
        configuration.pruneMembers = pruneMembers || Self.isOn(environment["LAUNCHQ_PRUNE_MEMBERS"])
        configuration.allowNonemptyDelete = allowsNonemptyDelete
        if let maxDeletions {
            guard maxDeletions >= 0 else { throw ValidationError("--max-deletions must be 0 or more, got \(maxDeletions)") }
            configuration.maxDeletions = maxDeletions
        } else if let text = environment["LAUNCHQ_MAX_DELETIONS"], !text.isEmpty {
            guard let value = Int(text), value >= 0 else { throw SettingsError(.invalid, "LAUNCHQ_MAX_DELETIONS must be a number 0 or more, got \(text)") }
            configuration.maxDeletions = value
        }
        return configuration
    }

    /// `--allow-nonempty-delete`, else `$LAUNCHQ_ALLOW_NONEMPTY_DELETE`: the planner and the executor both follow it.
    var allowsNonemptyDelete: Bool { allowNonemptyDelete || Self.isOn(environment["LAUNCHQ_ALLOW_NONEMPTY_DELETE"]) }

    /// `1`, `true`, `yes`, `on` (any case).
    static func isOn(_ text: String?) -> Bool {
        ["1", "true", "yes", "on"].contains(text?.lowercased() ?? "")
    }

    /// The reconcile pipeline for `plan` and `apply`: W&B through `client`, recording as `actor` in `store` when a
    /// database is configured.
    static func reconciliation(
        client: WandbClient, planner: Planner, executor: Executor, store: PostgresStore?, actor: String, rounds: Int = 3, logger: Logger
    ) -> Reconciliation {
        Reconciliation(
            observer: Observer(client: client), planner: planner, executor: executor,
            recorder: store.map { StoreRecorder(events: $0.events, objects: $0.objects, actor: actor) }, maxRounds: rounds, logger: logger)
    }

    /// The Kubernetes version whose Job schema checks `kubernetes` resource configs (`--kubernetes-version`).
    var kubernetesVersion: KubernetesVersion {
        get throws { try kubernetes.resolved(environment: ProcessInfo.processInfo.environment) }
    }

    /// The database, when one is configured.
    var databaseConfiguration: DatabaseConfiguration? {
        get throws {
            // DATABASE_URL, or the file DATABASE_URL_FILE names.
            let environment = try SecretFileSetting.environment
            guard databaseURL != nil || !(environment["DATABASE_URL"] ?? "").isEmpty else { return nil }
            return try DatabaseConfiguration.resolve(explicit: databaseURL, environment: environment)
        }
    }

    /// Validates the declarations at `path`; prints the diagnostics and exits 1 when invalid or unreadable
    /// (`plan` keeps 2 for "there are changes").
    static func loadValid(_ path: String?, kubernetesVersion: KubernetesVersion = .newest) throws -> [Declaration] {
        let report = Validator(kubernetesVersion: kubernetesVersion).validate(paths: [path ?? SourceSetting.defaultSource])
        guard report.isValid(strict: false) else {
            try DiagnosticPrinter.print(report, format: .text, strict: false)
            throw ExitCode(1)
        }
        for diagnostic in report.diagnostics where diagnostic.severity == .warning { printError(diagnostic.description) }
        return report.declarations
    }

    /// Runs `body` with the store when a database is configured, else with `nil`.
    func withOptionalStore<Result: Sendable>(command: String, _ body: @Sendable (PostgresStore?) async throws -> Result) async throws -> Result {
        guard let configuration = try databaseConfiguration else { return try await body(nil) }
        var logger = Logger(label: "launchq.\(command)")
        logger.logLevel = .error
        do {
            return try await PostgresStore.withStore(configuration, logger: logger) { store in try await body(store) }
        } catch let error as StoreError {
            printError("launchq \(command): \(error.message)")
            throw ExitCode(1)
        }
    }
}

extension Policy.Drift: ExpressibleByArgument {}
