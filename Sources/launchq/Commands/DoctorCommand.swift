import ArgumentParser
import Foundation
import Logging
import Reconciler

/// `launchq doctor [--entity E] [--canary ENTITY] [--format text|json]`: a read-only compatibility check of a W&B
/// server (logic in Reconciler's `Doctor`).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that a W&B server works with launchq, writing nothing: exit 0 compatible, 1 not, 2 cannot connect.",
        discussion: """
            Reads the API key's user (and whether it is an instance admin), one entity, one batched read at the \
            configured batch size, whether user search is allowed, and sends every mutation launchq may send with \
            deliberately ill-typed variables, so the server validates each document without running it. With \
            --canary ENTITY it also creates a throwaway queue there, reads it back, checks that a plan of it shows no \
            change, and deletes it. Run it, then `launchq import` and `launchq plan` (exit 0), before the first apply.
            """)

    @Option(help: "The entity to read (default: the API key's own entity).")
    var entity: String?

    @Option(help: ArgumentHelp("Also create, read back, plan and delete a throwaway queue in this entity.", valueName: "entity"))
    var canary: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var wandb: WandbOptions

    func run() async throws {
        var logger = Logger(label: "launchq.doctor")
        logger.logLevel = .error
        let client = try wandb.makeClient(logger: logger)
        let report = await Doctor(client: client, settings: .init(entity: entity, canaryEntity: canary), logger: logger).run()
        switch format {
        case .text: print(report.text)
        case .json: print(try JSONOutput.string(report))
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
