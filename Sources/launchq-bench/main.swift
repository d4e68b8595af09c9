// launchq-bench: `swift run -c release launchq-bench [declarations|store|client|reconcile|all]` prints figures;
// `launchq-bench growth DIR [SDK.json]` measures the fleet bench/fleet wrote (bench/run-all runs it for each size);
// `launchq-bench sandbox [--state] [N ...]` times N queue creates and N / 10 lookups through the sandbox;
// `launchq-bench plan [N ...]` times the planner alone on a first apply's plan of N queues.
// `store` needs DATABASE_URL (run it under scripts/with-postgres); `reconcile` needs the wandb SDK venv.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "growth" { try await GrowthBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
if which == "plan" { try PlanningBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
if which == "sandbox" { try await SandboxBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
if which == "declarations" || which == "all" { try DeclarationsBenchmark.run() }
if which == "store" || which == "all" { try await StoreBenchmark.run() }
if which == "client" || which == "all" { try await ClientBenchmark.run() }
if which == "reconcile" || which == "all" { try await ReconcileBenchmark.run() }
