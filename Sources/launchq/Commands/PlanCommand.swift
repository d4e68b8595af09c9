import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler

/// `launchq plan [PATH] [--out plan.json] [--format text|json] [--server URL --token-file F]`: what apply would change
/// on W&B, planned here or by a running `launchq serve`.
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

    @OptionGroup(title: "Plan on a launchq serve") var remote: PlanServerOptions

    func run() async throws {
        let declarations = try ReconcileOptions.loadValid(path, kubernetesVersion: try options.kubernetesVersion)
        if let server = remote.server, let tokenFile = remote.tokenFile {
            return try await runRemote(server: server, tokenFile: tokenFile)
        }
        let logger = Logger(label: "launchq.plan")
        let client = try options.wandb.makeClient(logger: logger)
        let planner = Planner(configuration: try options.plannerConfiguration())
        let plan = try await options.withOptionalStore(command: "plan") { store in
            try await ReconcileOptions.reconciliation(
                client: client, planner: planner, executor: Executor(client: client, logger: logger), store: store, actor: "launchq plan", logger: logger
            ).preview(declarations)
        }
        try finish(plan, text: plan.text)
    }

    /// `--server`: the same declarations, planned by the server (`POST /v1/plan`); its answer printed as a local plan's.
    private func runRemote(server: String, tokenFile: String) async throws {
        let plan: Plan
        let text: String
        do {
            (plan, text) = try await RemotePlan.plan(bundle: try RemotePlan.bundle(at: path ?? SourceSetting.defaultSource), server: server, tokenFile: tokenFile)
        } catch {
            // The server's error, an unreachable server or an unreadable path: 1, never the token.
            printError("launchq plan: \(error)")
            throw ExitCode(1)
        }
        try finish(plan, text: text)
    }

    /// Saves (`--out`), prints in `--format` and exits: 1 refusals, 2 changes, 0 nothing to do.
    private func finish(_ plan: Plan, text: String) throws {
        if let out {
            try PlanOutput.save(plan, to: out)
        }
        switch format {
        case .text: print(text)
        case .json: try PlanOutput.print(plan)
        }
        if plan.hasRefusals { throw ExitCode(1) }
        if plan.hasChanges { throw ExitCode(2) }
    }
}
