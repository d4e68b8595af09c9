import ArgumentParser

@main
struct Launchq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "launchq")
}
