import ArgumentParser
import Declarations
import Foundation

/// `launchq validate [PATH...] [--format text|json] [--strict] [--kubernetes-version 1.NN]`: offline validation.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check declarations offline: exit 0 valid, 1 invalid, 2 a file or folder cannot be read.")

    @Argument(help: "Files or folders of declarations (default: $LAUNCHQ_SOURCE or .).")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @OptionGroup var kubernetes: KubernetesVersionOption

    func run() throws {
        let sources = paths.isEmpty ? [SourceSetting.defaultSource] : paths
        let version = try kubernetes.resolved(environment: ProcessInfo.processInfo.environment)
        let report = Validator(kubernetesVersion: version).validate(paths: sources)
        try DiagnosticPrinter.print(report, format: format, strict: strict)
        if report.diagnostics.contains(where: { $0.code == .fileRead }) { throw ExitCode(2) }
        if !report.isValid(strict: strict) { throw ExitCode(1) }
    }
}

/// The declarations source setting shared by commands: `--source`, then `LAUNCHQ_SOURCE`, then `.`.
enum SourceSetting {
    static var defaultSource: String {
        ProcessInfo.processInfo.environment["LAUNCHQ_SOURCE"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
    }
}
