import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler

/// `launchq plan [PATH] [--out plan.json] [--format text|json]`: what apply would change on W&B.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read W&B and print what apply would change: exit 0 no changes, 2 changes, 1 error or refusal.")

    @Argument(help: "Declarations (file or folder; default: $LAUNCHQ_SOURCE or .).")
    var path: String?

    @Option(help: "Also save the plan as JSON here, for `launchq apply --plan`.")
    var out: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var options: ReconcileOptions

    func run() async throws {
        let declarations = try ReconcileOptions.loadValid(path, kubernetesVersion: try options.kubernetesVersion)
        let logger = Logger(label: "launchq.plan")
        let client = try options.wandb.makeClient(logger: logger)
        let planner = Planner(configuration: try options.plannerConfiguration())
        let plan = try await options.withOptionalStore(command: "plan") { store in
            try await ReconcileOptions.reconciliation(
                client: client, planner: planner, executor: Executor(client: client, logger: logger), store: store, actor: "launchq plan", logger: logger
            ).preview(declarations)
        }
        if let out {
            try Data(try JSONOutput.string(plan).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        }
        switch format {
        case .text: print(plan.text)
        case .json: print(try JSONOutput.string(plan))
        }
        if plan.hasRefusals { throw ExitCode(1) }
        if plan.hasChanges { throw ExitCode(2) }
    }
}
