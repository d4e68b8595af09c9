import ArgumentParser
import Declarations

/// `launchq schema`: the JSON Schema of the declaration format, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the declaration format, for editors and the YAML language server.")

    func run() throws {
        print(try JSONOutput.string(DeclarationSchema.document))
    }
}
