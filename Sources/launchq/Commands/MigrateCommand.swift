import ArgumentParser
import Foundation
import Store

/// `launchq migrate`: apply the schema migrations to the database (idempotent).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database schema migrations (idempotent; safe to run from several places at once).",
        discussion: """
            The migrations are compiled into launchq from the repository's migrations/ folder; each is applied in its \
            own transaction and recorded with a checksum. An applied migration that was edited afterwards is refused. \
            Exit status: 0 when the schema is current, 1 on any error.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("migrations"),
        help: ArgumentHelp("Apply the NNNN_name.sql files in this folder instead of the embedded ones (development).", valueName: "dir"))
    var migrationsDirectory: String?

    func run() async throws {
        let migrations: [Migration]
        if let directory = migrationsDirectory {
            do {
                migrations = try Migration.load(from: URL(fileURLWithPath: directory, isDirectory: true))
            } catch let error as StoreError {
                DatabaseOptions.printError("launchq migrate: \(error.message)")
                throw ExitCode(1)
            } catch {
                DatabaseOptions.printError("launchq migrate: cannot read migrations from \(directory): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        } else {
            migrations = Migration.embedded
        }
        let report = try await database.withStore(command: "migrate") { store in
            try await Migrator(store: store, migrations: migrations).migrate()
        }
        for migration in report.applied {
            print("applied \(migration.fileName)")
        }
        let version = migrations.last?.version ?? 0
        print(
            report.applied.isEmpty
                ? "schema is current (version \(version), \(report.alreadyApplied) migrations applied earlier)"
                : "schema is now at version \(version) (\(report.applied.count) applied, \(report.alreadyApplied) earlier)")
    }
}
