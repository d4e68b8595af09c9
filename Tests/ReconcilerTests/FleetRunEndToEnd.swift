import Declarations
import JSON
import Planning
import Reconciler
import ReconcilerStore
import Store
import Synchronization
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// `launchq serve`'s run of a fleet a chunk of entities at a time (``Reconciliation/run(fleet:_:)``, issue 13)
/// against a real sandbox over HTTP and, where a recorder is involved, a real PostgreSQL: it matches the whole-fleet
/// run, keeps the fleet's deletion cap, and applies only the deletions it approved.
@Suite("Reconciling a fleet a chunk at a time, end to end", .serialized)
struct FleetRunEndToEnd {
    /// Three teams (admin and member declared as Users, made in the same run), a project and two queues each.
    static func declarations(prefix: String = "fleet") throws -> [Declaration] {
        let projects = (0..<3).map { "apiVersion: launchq/v1\nkind: Project\nentity: \(prefix)-t\($0)\nname: research\ndescription: project \($0)\n" }
        return try Fixtures.generated(prefix: prefix, teams: 3, queuesEach: 2)
            + Fixtures.declarations(yaml: projects.joined(separator: "\n---\n"), file: "projects.yaml")
    }

    /// Undeclared queues: `count` in each of `teams` entities.
    static func undeclared(prefix: String, teams: Int, count: Int) throws -> [Declaration] {
        let documents = (0..<teams).flatMap { team in
            (0..<count).map { Fixtures.queue(entity: "\(prefix)-t\(team)", name: "old\($0)", type: "local-process", revision: 0) }
        }
        return try Fixtures.declarations(yaml: documents.joined(separator: "\n---\n"), file: "undeclared.yaml")
    }

    /// What W&B holds for `declarations`' entities and users, without W&B's ids: comparable across sandboxes.
    static func snapshot(_ sandbox: EndToEnd, _ declarations: [Declaration]) async throws -> [String] {
        let observed = try await Observer(client: sandbox.client).observe(declarations)
        var lines: [String] = []
        for (name, entity) in observed.entities.sorted(by: { $0.key < $1.key }) {
            lines.append("entity \(name) exists=\(entity.exists) team=\(entity.isTeam)")
            lines += entity.queues.map { "queue \(name)/\($0.key) \(CanonicalJSON.string($0.value.state))" }.sorted()
            lines += entity.projects.map { "project \(name)/\($0.key) \($0.value.description ?? "-")" }.sorted()
            lines += entity.members.map { "member \(name) \($0.email ?? $0.username ?? $0.name) admin=\($0.admin) pending=\($0.pending)" }.sorted()
        }
        lines += observed.users.map { "user \($0.key) \($0.value.email ?? "-") deleted=\($0.value.deleted)" }.sorted()
        return lines
    }

    /// The recorded object statuses, without times and W&B ids (whether W&B's state of it was recorded).
    static func statuses(_ store: PostgresStore) async throws -> [String] {
        try await store.objects.list().map {
            "\($0.key.kind) \($0.key.identity) \($0.state) \($0.desiredHash ?? "-") observed=\($0.observedHash != nil)"
        }.sorted()
    }

    /// What a run did, comparable across sandboxes.
    struct Run: Sendable {
        var planIDs: [String]
        var summary: String
        var outcomes: [String: String]
        var counts: Reconciliation.Counts
        var state: [String]
        var statuses: [String]
    }

    @Test(
        "chunks of one entity: the whole run's W&B state, outcomes and findings; the outline is the whole plan; users first; again a no-op",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .timeLimit(.minutes(4)))
    func fleetRunMatchesTheWholeRun() async throws {
        let declarations = try Self.declarations()
        var request = Reconciliation.Request()
        request.keepsPlans = false
        let whole = try await TestDatabase.withFreshDatabase { [request] store, _ in
            try await EndToEnd.with { sandbox in
                let reconciliation = sandbox.reconciliation(recorder: StoreRecorder(events: store.events, objects: store.objects, actor: "fleet-test"))
                let plan = try await reconciliation.preview(declarations)
                let result = try await reconciliation.run(declarations, request)
                return Run(
                    planIDs: plan.steps.map(\.id), summary: plan.summary, outcomes: result.outcomes.mapValues { "\($0.status)" }, counts: result.counts,
                    state: try await Self.snapshot(sandbox, declarations), statuses: try await Self.statuses(store))
            }
        }
        #expect(whole.counts.succeeded > 15 && whole.counts.failed == 0 && whole.counts.skipped == 0, "\(whole.outcomes)")

        try await TestDatabase.withFreshDatabase { [request] store, _ in
            try await EndToEnd.with { sandbox in
                let reconciliation = sandbox.reconciliation(recorder: StoreRecorder(events: store.events, objects: store.objects, actor: "fleet-test"))
                let plan = try await reconciliation.preview(declarations)
                #expect(plan.steps.map(\.id) == whole.planIDs && plan.summary == whole.summary, "\(plan.text)")
                let fleet = FleetDeclarations(declarations, entitiesPerChunk: 1)
                #expect(fleet.chunks == [["fleet-t0"], ["fleet-t1"], ["fleet-t2"]] && fleet.shared.count == 6)

                let finished = Mutex<[String]>([])
                let chunksStarted = Mutex(0)
                var fleetRequest = request
                fleetRequest.stepFinished = { step, _ in finished.withLock { $0.append(step.id) } }
                fleetRequest.chunkStarting = { chunksStarted.withLock { $0 += 1 } }
                let result = try await reconciliation.run(fleet: fleet, fleetRequest)
                #expect(result.ending == .completed && result.recordingError == nil && result.unrecordedSteps.isEmpty)
                #expect(chunksStarted.withLock { $0 } == 2 * (1 + 3), "the users' chunk and three entity chunks, in each pass")

                // The approved outline is the whole plan: same steps, summary and cap.
                let first = try #require(result.firstPlan)
                #expect(first.steps.map(\.id) == plan.steps.map(\.id), "\(first.text)\n---\n\(plan.text)")
                #expect(first.steps.map(\.action) == plan.steps.map(\.action) && first.steps.map(\.declarationHash) == plan.steps.map(\.declarationHash))
                #expect(first.summary == plan.summary && first.deletionCap == plan.deletionCap)
                #expect(first.steps.allSatisfy { $0.write == nil })
                // Without keepsPlans the rounds keep their outcomes (compared below) but not the approved plan's steps again.
                #expect(!result.rounds.isEmpty && result.rounds.allSatisfy { $0.plan.steps.isEmpty })

                // The same outcomes, W&B state and recorded findings as the whole-fleet run.
                #expect(result.outcomes.mapValues { "\($0.status)" } == whole.outcomes)
                #expect(result.counts == whole.counts, "\(result.counts) vs \(whole.counts)")
                #expect(try await Self.snapshot(sandbox, declarations) == whole.state)
                #expect(try await Self.statuses(store) == whole.statuses)
                // Every declared object was recorded ready (besides what W&B holds of its own: members, projects).
                let declared = Set(declarations.map { "\($0.kind.rawValue) \($0.identity) ready \($0.contentHash) observed=\($0.kind == .runQueue)" })
                #expect(declared.isSubset(of: whole.statuses), "\(whole.statuses)")

                // Users first: every user step finished before any team step, and the members were added in this run.
                let order = finished.withLock { $0 }
                let lastUser = try #require(order.lastIndex { $0.hasPrefix("User ") }, "\(order)")
                let firstTeam = try #require(order.firstIndex { $0.hasPrefix("Team ") }, "\(order)")
                #expect(lastUser < firstTeam, "\(order)")
                for team in 0..<3 {
                    #expect(whole.state.contains { $0.hasPrefix("member fleet-t\(team) fleet-t\(team)-dev@example.com admin=false") }, "\(whole.state)")
                }

                // Again, cut another way: nothing to write, nothing written.
                let pairs = FleetDeclarations(declarations, entitiesPerChunk: 2)
                #expect(pairs.chunks == [["fleet-t0", "fleet-t1"], ["fleet-t2"]])
                await sandbox.server.resetCounters()
                let again = try await reconciliation.run(fleet: pairs, request)
                let counters = await sandbox.server.counters()
                #expect(counters.mutations == 0)
                // Each chunk is read once for the outline and once for its pass; the users once, by the outline (their
                // own chunk wrote nothing, so its lookups still hold).
                #expect(counters.requestsByOperation["ReadEntities"] == 2 * pairs.chunks.count, "\(counters.requestsByOperation)")
                #expect(counters.requestsByOperation["SearchUsersBatch"] == 1, "\(counters.requestsByOperation)")
                #expect(again.ending == .completed && again.firstPlan?.hasChanges == false && again.counts == Reconciliation.Counts(), "\(again.firstPlan?.text ?? "")")
                #expect(try await Self.statuses(store) == whole.statuses)
            }
        }
    }

    @Test(
        "the deletion cap counts every chunk: two deletions a chunk, six in the fleet, nothing written, findings recorded",
        .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .timeLimit(.minutes(3)))
    func deletionCapOverTheFleet() async throws {
        let declarations = try Fixtures.generated(prefix: "cap", teams: 3, queuesEach: 1)
        let undeclared = try Self.undeclared(prefix: "cap", teams: 3, count: 2)
        try await TestDatabase.withFreshDatabase { store, _ in
            try await EndToEnd.with { sandbox in
                try await sandbox.apply(declarations + undeclared, sandbox.reconciliation())
                let pruning = sandbox.reconciliation(prune: true, recorder: StoreRecorder(events: store.events, objects: store.objects, actor: "cap-test"))
                let fleet = FleetDeclarations(declarations, entitiesPerChunk: 1)
                #expect(fleet.chunks.count == 3)
                // Each chunk alone is under the default cap (5); the fleet is over it, as the whole plan says.
                for chunk in fleet.chunks {
                    let alone = try await pruning.plan(fleet.shared + (try await fleet.declarations(chunk))).0
                    #expect(alone.count(.delete) == 2 && !alone.deletionCap.exceeded, "\(alone.text)")
                }
                let whole = try await pruning.preview(declarations)
                #expect(whole.count(.delete) == 6 && whole.deletionCap.exceeded, "\(whole.text)")

                await sandbox.server.resetCounters()
                let result = try await pruning.run(fleet: fleet)
                #expect(await sandbox.server.counters().mutations == 0)
                let first = try #require(result.firstPlan)
                #expect(first.deletionCap.exceeded && first.deletionCap.deletions.count == 6 && first.deletionCap == whole.deletionCap)
                #expect(result.counts == Reconciliation.Counts() && result.rounds.isEmpty && result.recordingError == nil)
                let left = try await Observer(client: sandbox.client).observe(declarations)
                for team in 0..<3 {
                    #expect(Set(left.entities["cap-t\(team)"]?.queues.keys.map { $0 } ?? []) == ["q0", "old0", "old1"])
                }
                // Every chunk recorded its findings: each declared object has a status, and it is ready.
                let recorded = try await store.objects.list()
                #expect(Set(recorded.map { "\($0.key.kind) \($0.key.identity)" }) == Set(declarations.map { "\($0.kind.rawValue) \($0.identity)" }))
                #expect(recorded.allSatisfy { $0.state == .ready }, "\(recorded.map { "\($0.key.identity) \($0.state)" })")
            }
        }
    }

    @Test("a deletion that appears after approval is not applied; the approved ones are", .timeLimit(.minutes(3)))
    func deletionAfterApprovalWaits() async throws {
        let declarations = try Fixtures.generated(prefix: "late", teams: 2, queuesEach: 1)
        let undeclared = try Self.undeclared(prefix: "late", teams: 2, count: 1)
        let late = try Fixtures.declarations(yaml: Fixtures.queue(entity: "late-t1", name: "late", type: "kubernetes", revision: 0))
        try await EndToEnd.with { sandbox in
            try await sandbox.apply(declarations + undeclared, sandbox.reconciliation())
            let pruning = sandbox.reconciliation(prune: true)
            let fleet = FleetDeclarations(declarations, entitiesPerChunk: 1)
            #expect(fleet.chunks.count == 2)
            let maker = sandbox.reconciliation()
            let approved = Mutex<[String]>([])
            var request = Reconciliation.Request()
            request.approve = { plan in
                approved.withLock { $0 = plan.deletionCap.deletions }
                // Someone makes a queue in a managed entity between the approval and the apply.
                do {
                    let (made, observed) = try await maker.plan(late)
                    let rounds = try await maker.run(late, first: made, observed: observed)
                    return made.count(.create) == 1 && rounds.last?.report.outcomes.values.allSatisfy(\.succeeded) == true
                } catch {
                    return false
                }
            }
            let result = try await pruning.run(fleet: fleet, request)
            #expect(result.ending == .completed, "the late queue could not be made in the approve hook")
            let old = [PlanStep.id(.runQueue, "late-t0/old0"), PlanStep.id(.runQueue, "late-t1/old0")]
            #expect(approved.withLock { $0 }.sorted() == old)
            #expect(old.allSatisfy { result.outcomes[$0]?.succeeded == true }, "\(result.outcomes)")
            #expect(result.outcomes[PlanStep.id(.runQueue, "late-t1/late")] == nil, "\(result.outcomes)")

            let left = try await Observer(client: sandbox.client).observe(declarations)
            #expect(Set(left.entities["late-t0"]?.queues.keys.map { $0 } ?? []) == ["q0"])
            #expect(Set(left.entities["late-t1"]?.queues.keys.map { $0 } ?? []) == ["q0", "late"], "the late queue is still on W&B")

            // The next run plans it, under its own cap.
            var declining = Reconciliation.Request()
            declining.approve = { _ in false }
            let next = try await pruning.run(fleet: fleet, declining)
            #expect(next.ending == .declined && next.firstPlan?.deletionCap.deletions == [PlanStep.id(.runQueue, "late-t1/late")], "\(next.firstPlan?.text ?? "")")
        }
    }

    @Test("a write that fails in one chunk: that chunk is read again and retried in round 2, the others are not", .timeLimit(.minutes(3)))
    func failedChunkRetried() async throws {
        let declarations = try Self.declarations(prefix: "retry")
        try await EndToEnd.with { sandbox in
            let server = sandbox.server
            let reads = Mutex(0)
            var request = Reconciliation.Request()
            // Every queue write fails (400: not retried) from the approval until the next round's read.
            request.approve = { _ in
                await server.setFaults(FaultPlan(rules: [FaultPlan.Rule(effects: [.status(400, fraction: 1)], operations: ["UpsertRunQueue"])]))
                return true
            }
            request.lastApplied = {
                if reads.withLock({ $0 += 1; return $0 }) > 1 { await server.setFaults(.none) }
                return [:]
            }
            let fleet = FleetDeclarations(declarations, entitiesPerChunk: 1)
            let result = try await sandbox.reconciliation().run(fleet: fleet, request)
            #expect(result.ending == .completed)
            // Round 1 merges every chunk's first round; only the first entity chunk (queues failed) had a second.
            #expect(result.rounds.count == 2 && reads.withLock { $0 } == 2, "\(result.rounds.map(\.plan.text))")
            let retried = ["retry-t0/q0", "retry-t0/q1"].map { PlanStep.id(.runQueue, $0) }
            #expect(result.rounds.last?.plan.steps.map(\.id).sorted() == retried, "\(result.rounds.last?.plan.text ?? "")")
            #expect(result.rounds.first?.report.failed == 2 && result.counts.failed == 2, "\(result.outcomes)")
            #expect(result.outcomes.values.allSatisfy { $0.succeeded }, "\(result.outcomes)")
            // The later chunks wrote after the faults ended, in their first round; the fleet converged in this run.
            #expect(["retry-t1/q0", "retry-t2/q1"].allSatisfy { result.rounds.first?.report.outcomes[PlanStep.id(.runQueue, $0)]?.succeeded == true })
            #expect(try await sandbox.reconciliation().preview(declarations).steps.isEmpty)
        }
    }

    @Test("stopping between chunks: the chunks after it are not applied, and the run says stopped", .timeLimit(.minutes(3)))
    func stopBetweenChunks() async throws {
        let declarations = try Self.declarations(prefix: "stop")
        try await EndToEnd.with { sandbox in
            let stopping = Mutex(false)
            var request = Reconciliation.Request()
            request.isStopping = { stopping.withLock { $0 } }
            request.stepFinished = { step, _ in if step.subject == .team { stopping.withLock { $0 = true } } }
            let result = try await sandbox.reconciliation().run(fleet: FleetDeclarations(declarations, entitiesPerChunk: 1), request)
            #expect(result.ending == .stopped)
            #expect(result.outcomes[PlanStep.id(.team, "stop-t0")]?.succeeded == true, "\(result.outcomes)")
            #expect(!result.outcomes.keys.contains { !$0.hasPrefix("User ") && ($0.contains("stop-t1") || $0.contains("stop-t2")) }, "\(result.outcomes)")
            let left = try await Observer(client: sandbox.client).observe(declarations)
            #expect(left.entities["stop-t0"]?.exists == true)
            #expect(left.entities["stop-t1"]?.exists == false && left.entities["stop-t2"]?.exists == false)
        }
    }

    @Test("a run of one object applies that object's step only, whichever chunk it is in", .timeLimit(.minutes(3)))
    func oneObject() async throws {
        let declarations = try Self.declarations(prefix: "one")
        try await EndToEnd.with { sandbox in
            let reconciliation = sandbox.reconciliation()
            let fleet = FleetDeclarations(declarations, entitiesPerChunk: 1)
            #expect(try await reconciliation.run(fleet: fleet).counts.failed == 0)
            // Two queues change, in two chunks.
            let changedIDs = ["one-t1/q1", "one-t2/q0"]
            let changed = try declarations.map { declaration in
                guard case .runQueue(let queue) = declaration.object, changedIDs.contains(declaration.identity) else { return declaration }
                return try #require(Fixtures.declarations(yaml: Fixtures.queue(entity: queue.entity, name: queue.name, type: "kubernetes", revision: 1)).first)
            }
            let changedFleet = FleetDeclarations(changed, entitiesPerChunk: 1)
            let before = try await reconciliation.preview(changed)
            #expect(before.steps.map(\.id).sorted() == changedIDs.map { PlanStep.id(.runQueue, $0) }, "\(before.text)")

            await sandbox.server.resetCounters()
            let request = Reconciliation.Request(object: ObjectReference(kind: "RunQueue", identity: "one-t1/q1"))
            let result = try await reconciliation.run(fleet: changedFleet, request)
            #expect(result.ending == .completed && result.firstPlan?.steps.count == 2, "the approved outline is the fleet's")
            #expect(result.outcomes.keys.sorted() == [PlanStep.id(.runQueue, "one-t1/q1")] && result.counts.succeeded == 1, "\(result.outcomes)")
            #expect(await sandbox.server.counters().mutations == 1)
            let after = try await reconciliation.preview(changed)
            #expect(after.steps.map(\.id) == [PlanStep.id(.runQueue, "one-t2/q0")], "\(after.text)")
        }
    }
}
