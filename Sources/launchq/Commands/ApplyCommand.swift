import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler
import Store

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

    @OptionGroup var options: ReconcileOptions

    func validate() throws {
        if savedPlan != nil, path != nil { throw ValidationError("give either declarations or --plan, not both") }
        if concurrency < 1 || rounds < 1 { throw ValidationError("--concurrency and --rounds must be at least 1") }
    }

    func run() async throws {
        let declarations = savedPlan == nil ? try ReconcileOptions.loadValid(path) : []
        let logger = Logger(label: "launchq.apply")
        let client = try options.wandb.makeClient(logger: logger)
        let planner = Planner(configuration: try options.plannerConfiguration())
        let saved = try savedPlan.map(Self.readPlan)
        let interactive = isatty(STDIN_FILENO) == 1
        if !autoApprove && !interactive {
            printError("error: standard input is not a terminal; pass --auto-approve to apply without confirmation")
            throw ExitCode(1)
        }
        let (autoApprove, strict, concurrency, rounds) = (autoApprove, strict, concurrency, rounds)
        let failed = try await options.withOptionalStore(command: "apply") { store -> Bool in
            let recorder = store.map { StoreRecorder(events: $0.events, objects: $0.objects, actor: "launchq apply") }
            let lastApplied: @Sendable () async throws -> [String: String] = {
                if let store { try await StoreRecorder.lastApplied(from: store.objects) } else { [:] }
            }
            var executorConfiguration = Executor.Configuration()
            executorConfiguration.concurrency = concurrency
            executorConfiguration.strict = strict
            let executor = Executor(
                client: client, configuration: executorConfiguration, recorder: recorder,
                progress: isatty(STDERR_FILENO) == 1 ? TerminalProgress() : nil, logger: logger)
            let reconciliation = Reconciliation(
                observer: Observer(client: client), planner: planner, executor: executor, maxRounds: saved == nil ? rounds : 1)

            let plan: Plan
            let observed: ObservedState
            if let saved {
                observed = try await reconciliation.observer.observe(saved.scope)
                guard observed.hash == saved.observedHash else {
                    printError("error: the saved plan is stale: W&B changed since it was made; run launchq plan again")
                    return true
                }
                plan = saved
            } else {
                (plan, observed) = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
            }
            print(plan.text)
            guard plan.hasChanges else { return plan.hasRefusals }
            if !autoApprove {
                print("\nApply these changes to W&B? Only 'yes' is accepted: ", terminator: "")
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    print("Apply cancelled.")
                    return true
                }
            }
            let results = try await reconciliation.run(declarations, first: plan, observed: observed, lastApplied: lastApplied)
            let final = results.last!
            for (id, outcome) in final.report.outcomes.sorted(by: { $0.key < $1.key }) {
                for warning in outcome.warnings { printError("warning: \(id): \(warning)") }
                switch outcome.status {
                case .failed(let message): printError("error: \(id): \(message)")
                case .skipped(let reason): printError("skipped: \(id): \(reason)")
                case .succeeded: break
                }
            }
            let writes = results.reduce(0) { $0 + $1.report.outcomes.count }
            print("Apply complete after \(results.count) round\(results.count == 1 ? "" : "s"): \(writes) write\(writes == 1 ? "" : "s"), "
                + "\(final.report.failed) failed, \(final.report.skipped) skipped.")
            if let recorder, saved == nil {
                let (after, _) = try await reconciliation.plan(declarations, lastApplied: try await lastApplied())
                try await recorder.recordFindings(after, matching: declarations)
            }
            return final.report.failed + final.report.skipped > 0 || plan.hasRefusals
        }
        if failed { throw ExitCode(1) }
    }

    static func readPlan(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the saved plan \(path)") }
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
        case .skipped: "skipped"
        }
        printError("[\(done)/\(total)] \(step.action.sign) \(step.subject.rawValue) \(step.identity) … \(result)")
    }
}
