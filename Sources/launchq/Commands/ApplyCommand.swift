import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler

/// `launchq apply [PATH | --plan plan.json] [--auto-approve]`: make W&B match the declarations.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make W&B match the declarations (or a saved plan, refused when W&B changed since): exit 0 done, 1 error.")

    @Argument(help: "Declarations (file or folder; default: $LAUNCHQ_SOURCE or .).")
    var path: String?

    @Option(name: .customLong("plan"), help: "Apply this saved plan instead of planning now.")
    var savedPlan: String?

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(help: "Fail a queue write when W&B reports configSchemaValidationErrors.")
    var strict = false

    @Option(help: "Most writes in flight at once.")
    var concurrency = 8

    @Option(help: "Most observe-plan-apply rounds (later rounds finish what failed).")
    var rounds = 3

    @Option(help: "Output format: text, or json (one document on standard output at the end; needs --auto-approve).")
    var format: OutputFormat = .text

    @Option(
        name: .customLong("lock-timeout"),
        help: ArgumentHelp(
            "With a database: wait this long for the reconciler lease that launchq serve also takes (one writer at a time), then exit 1 naming its holder (default: 30s).",
            valueName: "duration"))
    var lockTimeout = "30s"

    @OptionGroup var options: ReconcileOptions

    func validate() throws {
        if savedPlan != nil, path != nil { throw ValidationError("give either declarations or --plan, not both") }
        if concurrency < 1 || rounds < 1 { throw ValidationError("--concurrency and --rounds must be at least 1") }
        if format == .json, !autoApprove { throw ValidationError("--format json needs --auto-approve (there is no prompt)") }
    }

    func run() async throws {
        let declarations = savedPlan == nil ? try ReconcileOptions.loadValid(path, kubernetesVersion: try options.kubernetesVersion) : []
        let logger = Logger(label: "launchq.apply")
        let client = try options.wandb.makeClient(logger: logger)
        let planner = Planner(configuration: try options.plannerConfiguration())
        // A saved plan is held to this run's deletion cap (its deletions, with this run's --max-deletions).
        let saved = try savedPlan.map(Self.readPlan).map { plan in
            var plan = plan
            plan.deletionCap = DeletionCap(
                maximum: planner.configuration.maxDeletions, managedObjects: plan.deletionCap.managedObjects, deletions: plan.deletionIDs)
            return plan
        }
        let interactive = isatty(STDIN_FILENO) == 1
        if !autoApprove && !interactive {
            printError("error: standard input is not a terminal; pass --auto-approve to apply without confirmation")
            throw ExitCode(1)
        }
        var executorConfiguration = Executor.Configuration()
        executorConfiguration.concurrency = concurrency
        executorConfiguration.strict = strict
        executorConfiguration.allowNonemptyDelete = planner.configuration.allowNonemptyDelete
        let executor = Executor(
            client: client, configuration: executorConfiguration, progress: isatty(STDERR_FILENO) == 1 ? TerminalProgress() : nil, logger: logger)
        let (autoApprove, rounds, lockTimeout, format) = (autoApprove, rounds, try ApplyLease.timeout(lockTimeout), format)
        let failed = try await options.withOptionalStore(command: "apply") { store -> Bool in
            try await ApplyLease.holding(store, timeout: lockTimeout) { leaseLost in
                let reconciliation = ReconcileOptions.reconciliation(
                    client: client, planner: planner, executor: executor, store: store, actor: "launchq apply", rounds: rounds, logger: logger)
                let request = Reconciliation.Request(
                    start: saved.map(Reconciliation.Start.saved) ?? .observe, isStopping: leaseLost,
                    stopReason: "this launchq apply lost the reconciler lease", approve: { plan in format == .json || Self.confirm(plan, autoApprove: autoApprove) })
                let result = try await reconciliation.run(declarations, request)
                let failed = Self.report(result, summary: format == .text)
                if format == .json { print(try JSONOutput.string(Document(result, failed: failed))) }
                return failed
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// Prints the plan and, when it changes something and `--auto-approve` was not given, asks for `yes`.
    static func confirm(_ plan: Plan, autoApprove: Bool) -> Bool {
        print(plan.text)
        guard plan.hasChanges, !plan.deletionCap.exceeded, !autoApprove else { return true }
        print("\nApply these changes to W&B? Only 'yes' is accepted: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            print("Apply cancelled.")
            return false
        }
        return true
    }

    /// Prints how the run ended (problems on standard error; the summary line on standard output when `summary`);
    /// returns whether it failed (exit status 1).
    static func report(_ result: Reconciliation.Result, summary: Bool = true) -> Bool {
        switch result.ending {
        case .stale:
            printError("error: the saved plan is stale: W&B changed since it was made; run launchq plan again")
            return true
        case .declined:
            return true
        case .completed, .stopped:
            break
        }
        if let cap = result.firstPlan?.deletionCap, cap.exceeded {
            printError("error: nothing applied: the plan deletes \(cap.deletions.count) objects, more than \(cap.limitDescription): "
                + cap.deletions.joined(separator: ", ") + "; raise --max-deletions for this run to apply it")
        }
        let failed = result.firstPlan?.hasRefusals == true || result.recordingError != nil
        if let final = result.rounds.last {
            for (id, outcome) in final.report.outcomes.sorted(by: { $0.key < $1.key }) {
                for warning in outcome.warnings { printError("warning: \(id): \(warning)") }
                switch outcome.status {
                case .failed(let message): printError("error: \(id): \(message)")
                case .skipped(let reason), .deferred(let reason): printError("skipped: \(id): \(reason)")
                case .succeeded: break
                }
            }
            let writes = result.rounds.reduce(0) { $0 + $1.report.outcomes.count }
            let rounds = result.rounds.count
            if summary {
                print("Apply complete after \(rounds) round\(rounds == 1 ? "" : "s"): \(writes) write\(writes == 1 ? "" : "s"), "
                    + "\(final.report.failed) failed, \(final.report.skipped) skipped.")
            }
        }
        if let error = result.recordingError { printError("error: \(error)") }
        return failed || (result.rounds.last.map { $0.report.failed + $0.report.skipped > 0 } ?? false)
    }

    static func readPlan(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError(.unreadableFile, "cannot read the saved plan \(path)") }
        do {
            return try Plan.read(saved: data)
        } catch {
            printError("error: \(path): \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// One line per finished step on standard error: `[3/12] + RunQueue ml/a100 … done`.
struct TerminalProgress: ApplyProgress {
    func stepFinished(_ step: PlanStep, outcome: StepOutcome, done: Int, total: Int) {
        let result = switch outcome.status {
        case .succeeded: "done"
        case .failed: "FAILED"
        case .skipped, .deferred: "skipped"
        }
        printError("[\(done)/\(total)] \(step.action.sign) \(step.subject.rawValue) \(step.identity) … \(result)")
    }
}
