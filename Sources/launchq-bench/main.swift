// launchq-bench: `swift run -c release launchq-bench [declarations|store|all]` prints figures.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "declarations" || which == "all" { try DeclarationsBenchmark.run() }
if which == "store" || which == "all" { try await StoreBenchmark.run() }
