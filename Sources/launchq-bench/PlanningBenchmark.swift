import Declarations
import Foundation
import Planning
import WandbModel

/// `launchq-bench plan [N ...]`: the planner alone (no I/O) on N queues in N / 100 declared teams, each with a project,
/// against a W&B that has none of them: every step a create, each queue depending on its team's create (a first apply's
/// plan). Prints the best of three per size and the time per queue, so a cost that grows with the fleet shows.
enum PlanningBenchmark {
    static func run(arguments: [String]) throws {
        let sizes = arguments.compactMap(Int.init).isEmpty ? [1_000, 5_000, 10_000] : arguments.compactMap(Int.init)
        print("plan: N queues in N/100 new teams, best of 3")
        for size in sizes {
            let declarations = try fleet(queues: size)
            let empty = ObservedState(scope: ObservationScope(declarations))
            let planner = Planner()
            var first = Double.infinity
            var steps = 0
            for _ in 0..<3 {
                let started = ContinuousClock.now
                let plan = planner.plan(declarations, observed: empty)
                first = min(first, seconds(ContinuousClock.now - started))
                steps = plan.steps.count
            }
            print(String(format: "  %6d queues  first plan %8.1f ms (%d steps)  %6.1f µs per queue", size, first * 1000, steps, first * 1e6 / Double(size)))
        }
    }

    /// Teams `team-0…`, a project and 100 queues each, as a platform team would declare them.
    static func fleet(queues: Int) throws -> [Declaration] {
        var load = LoadResult()
        let loader = DeclarationLoader()
        for team in 0..<max(1, queues / 100) {
            var text = "apiVersion: launchq/v1\nkind: Team\nname: team-\(team)\nadmin: admin@example.com\n---\n"
            text += "apiVersion: launchq/v1\nkind: Project\nentity: team-\(team)\nname: research\n"
            for queue in 0..<min(100, queues) {
                text += "---\napiVersion: launchq/v1\nkind: RunQueue\nentity: team-\(team)\nname: q\(queue)\nresource_type: kubernetes\n"
                    + "resource_config: {spec: {parallelism: \(queue % 4 + 1)}}\n"
            }
            load.fileCount += 1
            loader.load(contents: Array(text.utf8), file: "team-\(team).yaml", into: &load)
        }
        load.fileCount += 1
        loader.load(contents: Array("apiVersion: launchq/v1\nkind: User\nemail: admin@example.com\nadmin: true\n".utf8), file: "users.yaml", into: &load)
        let report = Validator().validate(load)
        guard report.errorCount == 0 else { throw ReconcileBenchmark.BenchmarkError(message: "the generated fleet is invalid: \(report.diagnostics.prefix(3))") }
        return report.declarations
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
