import Foundation
import Planning
import Testing

/// `launchq plan --out` writes the plan a step at a time (issue 13): the pieces make exactly the document the encoder
/// gives for the whole plan, and it reads back as the same plan.
@Suite("Planning: a saved plan written a step at a time")
struct PlanSavedWritingTests {
    static func pieces(_ plan: Plan) throws -> [String] {
        var pieces: [String] = []
        try plan.writeSaved { pieces.append($0) }
        return pieces
    }

    @Test("creates, updates, deletions, refusals and a deletion cap: the same bytes as the whole document, and the same plan read back")
    func piecesMakeTheWholeDocument() throws {
        let declarations = FleetPlanTests.fleet()
        var observed = FleetPlanTests.whole()
        observed.scope = ObservationScope(declarations)
        let plan = FleetPlanTests.planner(maxDeletions: 5).plan(declarations, observed: observed)
        #expect(plan.steps.count > 20 && plan.count(.delete) > 0 && plan.hasRefusals, "\(plan.text)")
        let pieces = try Self.pieces(plan)
        // One piece for the head, one per step, one for the end: never the whole document in one string.
        #expect(pieces.count == plan.steps.count + 2)
        let whole = String(decoding: try Plan.savedEncoder().encode(plan), as: UTF8.self)
        #expect(pieces.joined() == whole)
        #expect(try Plan.read(saved: Data(pieces.joined().utf8)) == plan)
    }

    @Test("a plan without steps is written whole, as the encoder writes it")
    func emptyPlan() throws {
        let declarations = PlannerTests.declarations("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\n")
        var plan = Planner().plan(declarations, observed: ObservedState(scope: ObservationScope(declarations)))
        plan.steps = []
        let pieces = try Self.pieces(plan)
        #expect(pieces == [String(decoding: try Plan.savedEncoder().encode(plan), as: UTF8.self)])
        #expect(try Plan.read(saved: Data(pieces.joined().utf8)) == plan)
    }
}
