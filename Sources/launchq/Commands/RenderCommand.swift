import ArgumentParser
import Declarations

/// `launchq render FILE [--queue NAME] --set var=value...`: the resource config as the W&B server fills it.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print a queue's resource config filled with template values, as the W&B server would, as JSON.")

    @Argument(help: "A declaration file (or folder) holding the queue.")
    var file: String

    @Option(help: "The queue's name (needed when the file declares several queues).")
    var queue: String?

    @Option(name: .customLong("set"), help: "A template value, as var=value (repeatable).")
    var values: [String] = []

    func run() throws {
        let report = Validator().validate(paths: [file])
        guard report.isValid(strict: false) else {
            try DiagnosticPrinter.print(report, format: .text, strict: false)
            throw ExitCode(report.diagnostics.contains { $0.code == .fileRead } ? 2 : 1)
        }
        let queues = report.declarations.compactMap { declaration -> (RunQueue, Declaration)? in
            if case .runQueue(let runQueue) = declaration.object { (runQueue, declaration) } else { nil }
        }
        let matching = queue.map { name in queues.filter { $0.0.name == name } } ?? queues
        guard matching.count == 1, let (runQueue, declaration) = matching.first else {
            let names = queues.map(\.0.name).joined(separator: ", ")
            if matching.isEmpty {
                printError("error: no queue \(queue.map { "named \"\($0)\" " } ?? "")in \(file) (queues: \(names.isEmpty ? "none" : names))")
            } else {
                printError("error: \(file) declares several queues (\(names)); choose one with --queue")
            }
            throw ExitCode(1)
        }
        var parsed: [String: String] = [:]
        for assignment in values {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--set takes var=value, got \"\(assignment)\"")
            }
            parsed[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        switch TemplateRenderer(location: declaration.location).render(runQueue, values: parsed) {
        case .success(let config):
            print(try JSONOutput.string(config))
        case .failure(let error):
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
    }
}
