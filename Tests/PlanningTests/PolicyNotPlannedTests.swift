import Declarations
import Planning
import Testing

/// A `kind: Policy` is launchq's own: the planner writes nothing to W&B for it and reads nothing for it.
@Suite("Planning skips policies")
struct PolicyNotPlannedTests {
    @Test func aPolicyAddsNoStepNoScopeAndNoChange() {
        let team = "apiVersion: launchq/v1\nkind: Team\nname: ml\n"
        let policy = "---\napiVersion: launchq/v1\nkind: Policy\nname: budget\nscope: {entities: [\"ml\"]}\nrules: {max_gpus_per_job: 8, required_links: [Runbook]}\n"
        var load = LoadResult()
        DeclarationLoader().load(contents: Array((team + policy).utf8), file: "test.yaml", into: &load)
        let declarations = Validator().validate(load).declarations
        #expect(declarations.map(\.kind) == [.team, .policy])
        let alone = Planner().plan(Array(declarations.prefix(1)), observed: ObservedState())
        let withPolicy = Planner().plan(declarations, observed: ObservedState())
        #expect(withPolicy.steps.map(\.id) == alone.steps.map(\.id))
        #expect(!withPolicy.steps.contains { $0.identity == "budget" })
        #expect(withPolicy.scope == alone.scope)
        #expect(ObservationScope(declarations) == ObservationScope(entities: ["ml"]))
        #expect(ObservationScope(Array(declarations.suffix(1))) == ObservationScope())
    }
}
