import ArgumentParser
import Declarations
import Foundation
import Logging
import Planning
import Reconciler
import WandbAPI

/// `launchq import --entity E [--out DIR] [--force]`: declarations for what W&B holds for an entity.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write declarations (team, projects, queues) for what an entity has on W&B: exit 0 written and valid, 1 error or invalid.",
        discussion: """
            One file per object: DIR/team.yaml, DIR/projects/<name>.yaml, DIR/queues/<name>.yaml. Planning the folder \
            right after shows no changes. Files launchq would refuse (e.g. a Kubernetes securityContext) are still \
            written; their diagnostics are printed and the exit status is 1, so review them before committing.
            """)

    @Option(help: "The W&B entity (team or user) to import.")
    var entity: String

    @Option(help: "The folder to write to (default: ./<entity>).")
    var out: String?

    @Flag(help: "Overwrite files that exist already.")
    var force = false

    @OptionGroup var wandb: WandbOptions

    func run() async throws {
        let client = try wandb.makeClient(logger: Logger(label: "launchq.import"))
        let folder = out ?? entity
        let written: [String]
        do {
            let observed = try await Observer(client: client).observe(ObservationScope(entities: [entity]))
            let observedEntity = observed.entities[entity]
            guard let observedEntity else { throw ImportError(.entityNotFound, "W&B has no entity named \(entity) (absent or not visible to this API key)") }
            let importer = Importer(configuration: .init(source: Self.displayURL(client.configuration.baseURL)))
            let files = try importer.files(for: observedEntity)
            written = try ImportedFile.write(files, to: folder, force: force)
        } catch let error as ImportError {
            printError("error: \(error.message)")
            throw ExitCode(1)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        for path in written { print("wrote \(path)") }

        let report = Validator().validate(paths: written)
        for diagnostic in report.diagnostics { printError(diagnostic.description) }
        if report.isValid(strict: false) {
            print("imported \(written.count) file\(written.count == 1 ? "" : "s") into \(folder); \(report.summary)")
        } else {
            printError("warning: the imported files do not validate (\(report.summary)); fix them before committing")
            throw ExitCode(1)
        }
    }

    /// The server URL for the header comment, without any user or password in it.
    static func displayURL(_ url: String) -> String? {
        guard var components = URLComponents(string: url) else { return nil }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string
    }
}
