import TestSupport
import Declarations
import Foundation
import Reconciler
import Store
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// `launchq apply` with a database records what `launchq serve` records: after the rounds, each declared queue's
/// W&B id and observed state (what `GET /v1/objects/RunQueue/{id}` shows), from a read of W&B after the writes.
@Suite("launchq apply records observed queues, end to end", .serialized, .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ApplyRecordsObservedEndToEnd {
    @Test("after launchq apply every declared queue is ready with its W&B id and observed state", .timeLimit(.minutes(5)))
    func applyRecordsObservedQueues() async throws {
        let queues = Fixtures.queues(try Fixtures.examples())
        try #require(!queues.isEmpty)
        try await TestDatabase.withFreshDatabase { store, configuration in
            try await EndToEnd.with { sandbox in
                let database = ["--database-url", TestDatabase.url(of: configuration)]
                let apply = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"] + database, sandbox: sandbox)
                #expect(apply.status == 0, "\(apply.both)")

                let onWandb = try await sandbox.client.runQueues(inEntities: Array(Set(queues.map(\.entity))).sorted())
                for queue in queues {
                    let identity = "\(queue.entity)/\(queue.name)"
                    let id = try #require(onWandb[queue.entity]?.first { $0.name == queue.name }?.id, "\(identity) is not on W&B")
                    let status = try #require(try await store.objects.status(of: ObjectKey(kind: "RunQueue", identity: identity)), "\(identity) has no status")
                    #expect(status.state == .ready, "\(identity): \(status.state)")
                    #expect(status.wandbID == id, "\(identity): recorded W&B id \(status.wandbID ?? "none"), W&B says \(id)")
                    let observed = try #require(status.observedState, "\(identity) has no observed state")
                    #expect(observed.contains("\"name\":\"\(queue.name)\"") && observed.contains("\"resource_type\":\"\(queue.resourceType.rawValue)\""), "\(observed)")
                    #expect(status.observedHash == ContentHash.sha256(observed))
                }

                // A second apply writes nothing and keeps what was recorded.
                await sandbox.server.resetCounters()
                let again = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"] + database, sandbox: sandbox)
                #expect(again.status == 0 && again.output.contains("No changes."), "\(again.both)")
                #expect(await sandbox.server.counters().mutations == 0)
                let statuses = try await store.objects.list(kind: "RunQueue", state: nil)
                #expect(statuses.count == queues.count && statuses.allSatisfy { $0.state == .ready && $0.wandbID != nil }, "\(statuses)")
            }
        }
    }
}
