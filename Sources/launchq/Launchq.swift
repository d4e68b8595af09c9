import ArgumentParser
import Foundation

/// The `launchq` command: GitOps for W&B Launch run queues.
@main
struct Launchq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launchq",
        abstract: "Declare W&B Launch run queues, teams, users and projects in git; validate, plan and apply them.",
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self,
            RenderCommand.self,
            SchemaCommand.self,
            PlanCommand.self,
            ApplyCommand.self,
            MigrateCommand.self,
            TokenCommand.self,
            SandboxCommand.self,
            ImportCommand.self,
            DoctorCommand.self,
            DevCommand.self,
            ServeCommand.self,
        ]
    )

    /// Sets up logging from `LAUNCHQ_LOG_FORMAT` and `LAUNCHQ_LOG_LEVEL` (a bad value is an error, exit 1), then
    /// parses the command line and runs the command, as ArgumentParser's own `main()` does.
    static func main() async {
        do {
            LogSetup.bootstrap(try LogSetup.settings(from: ProcessInfo.processInfo.environment))
        } catch {
            exit(withError: error)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
