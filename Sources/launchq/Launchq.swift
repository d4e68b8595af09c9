import ArgumentParser

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
}
