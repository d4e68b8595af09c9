import Declarations
import Foundation
import Store
import Testing
import TestSupport
import WandbAPI
import WandbSandbox

/// Deletions that are safe by default, through `launchq plan`/`apply` against the sandbox, PostgreSQL and the
/// official SDK: pending items, the deletion cap, and `policy.prune` remembered by the database.
@Suite(
    "Safe deletions, end to end", .serialized, .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason),
    .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct SafeDeletionEndToEnd {
    /// A sandbox that deletes queues with their items when asked (W&B's behaviour is not known): then only
    /// launchq's own guard keeps the items.
    static func withSandbox<T>(_ body: (EndToEnd) async throws -> T) async throws -> T {
        try await TestSandbox.with({ $0.deletesQueuesWithItems = true }) { sandbox in
            try await body(EndToEnd(sandbox: sandbox, client: try sandbox.client(logger: EndToEnd.quietLogger)))
        }
    }

    /// A copy of `examples/` without `leaving` (paths under it), plus `extra` files.
    static func folder(_ name: String, leaving: [String] = [], extra: [String: String] = [:]) throws -> URL {
        let folder = try Repository.temporaryFolder(name)
        let copy = folder.appendingPathComponent("declarations")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Repository.path("examples")), to: copy)
        for path in leaving { try FileManager.default.removeItem(at: copy.appendingPathComponent(path)) }
        for (path, text) in extra { try text.write(to: copy.appendingPathComponent(path), atomically: true, encoding: .utf8) }
        return copy
    }

    @Test("a prune of a queue with pending items is refused and keeps the queue and its items; the override deletes it", .timeLimit(.minutes(8)))
    func pendingItemsGuardThePrune() async throws {
        try await WandbSDKVenv.require()
        try await TestDatabase.withFreshDatabase { _, configuration in
            try await Self.withSandbox { sandbox in
                let database = ["--database-url", TestDatabase.url(of: configuration)]
                let applied = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"] + database, sandbox: sandbox)
                try #require(applied.status == 0, "\(applied.both)")
                let queue = (entity: "ml-platform", name: "vertex-tpu")
                let pushed = try await sandbox.sdkLaunchAdd(entity: queue.entity, queue: queue.name, count: 2)
                try #require(pushed.count == 2)
                #expect(try await sandbox.sdkItems([queue])["ml-platform/vertex-tpu"] == pushed)

                let removed = try Self.folder("launchq-nonempty", leaving: ["queues/vertex.json"])
                defer { try? FileManager.default.removeItem(at: removed.deletingLastPathComponent()) }
                let plan = try await LaunchqCLI.run(["plan", removed.path, "--prune"] + database, sandbox: sandbox)
                #expect(plan.status == 1, "\(plan.both)")
                #expect(plan.output.contains("! RunQueue ml-platform/vertex-tpu: not deleted: 2 pending items still wait on it"), "\(plan.output)")

                await sandbox.server.resetCounters()
                let refused = try await LaunchqCLI.run(["apply", removed.path, "--prune", "--auto-approve"] + database, sandbox: sandbox)
                #expect(refused.status == 1, "\(refused.both)")
                #expect(await sandbox.server.counters().mutations == 0, "a refused deletion writes nothing")
                #expect(try await sandbox.sdkQueues([queue])["ml-platform/vertex-tpu"] ?? nil != nil, "the queue must still be there")
                #expect(try await sandbox.sdkItems([queue])["ml-platform/vertex-tpu"] == pushed, "its items must still be there")

                let allowed = try await LaunchqCLI.run(
                    ["apply", removed.path, "--prune", "--allow-nonempty-delete", "--auto-approve"] + database, sandbox: sandbox)
                #expect(allowed.status == 0, "\(allowed.both)")
                #expect(allowed.output.contains("- RunQueue ml-platform/vertex-tpu: no longer declared; pruning is on; its 2 pending items go with it"), "\(allowed.output)")
                #expect(try await sandbox.sdkItems([queue])["ml-platform/vertex-tpu"] == .some(nil), "the SDK still finds the deleted queue")
            }
        }
    }

    @Test("a plan over the deletion cap deletes nothing and exits 1 with the list; raising the cap for the run deletes", .timeLimit(.minutes(8)))
    func deletionCap() async throws {
        try await WandbSDKVenv.require()
        try await Self.withSandbox { sandbox in
            let extra = (0..<2).map { "extra\($0)" }
            let files = Dictionary(uniqueKeysWithValues: extra.enumerated().map { index, name in
                ("queues/\(name).yaml", Fixtures.queue(entity: "ml-platform", name: name, type: index == 0 ? "kubernetes" : "sagemaker", revision: 0))
            })
            let full = try Self.folder("launchq-cap-full", extra: files)
            defer { try? FileManager.default.removeItem(at: full.deletingLastPathComponent()) }
            let applied = try await LaunchqCLI.run(["apply", full.path, "--auto-approve"], sandbox: sandbox)
            try #require(applied.status == 0, "\(applied.both)")

            // Every queue goes: 7 deletions, the default cap is 5.
            let queueNames = ["a100-training", "workstation-docker", "workstation-process", "sagemaker-batch", "vertex-tpu"] + extra
            let queues = queueNames.map { (entity: "ml-platform", name: $0) }
            let empty = try Self.folder("launchq-cap-empty", leaving: ["queues"])
            defer { try? FileManager.default.removeItem(at: empty.deletingLastPathComponent()) }
            await sandbox.server.resetCounters()
            let refused = try await LaunchqCLI.run(["apply", empty.path, "--prune", "--auto-approve"], sandbox: sandbox)
            #expect(refused.status == 1, "\(refused.both)")
            #expect(refused.output.contains("! Refused: this plan deletes 7 objects, more than the default cap 5"), "\(refused.output)")
            for name in queueNames { #expect(refused.output.contains("    - RunQueue ml-platform/\(name)"), "\(name) missing: \(refused.output)") }
            #expect(refused.errors.contains("nothing applied"), "\(refused.errors)")
            #expect(await sandbox.server.counters().mutations == 0, "over the cap nothing is written")
            let kept = try await sandbox.sdkQueues(queues)
            #expect(queueNames.allSatisfy { kept["ml-platform/\($0)"] ?? nil != nil }, "every queue must still be there")

            let json = try await LaunchqCLI.run(["plan", empty.path, "--prune", "--format", "json"], sandbox: sandbox)
            #expect(json.status == 1, "\(json.both)")
            let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            let cap = document?["deletionCap"] as? [String: Any]
            #expect(cap?["limit"] as? Int == 5 && (cap?["deletions"] as? [String])?.count == 7, "\(json.output)")

            let raised = try await LaunchqCLI.run(["apply", empty.path, "--prune", "--max-deletions", "7", "--auto-approve"], sandbox: sandbox)
            #expect(raised.status == 0, "\(raised.both)")
            let gone = try await sandbox.sdkQueues(queues)
            #expect(queueNames.allSatisfy { gone["ml-platform/\($0)"] ?? nil == nil }, "every queue must be deleted")
        }
    }

    @Test("policy.prune of the last applied declaration: false keeps a queue pruning would delete, true deletes one it would keep",
        .timeLimit(.minutes(8)))
    func appliedPolicyDecides() async throws {
        try await WandbSDKVenv.require()
        try await TestDatabase.withFreshDatabase { store, configuration in
            try await Self.withSandbox { sandbox in
                let database = ["--database-url", TestDatabase.url(of: configuration)]
                let files = [
                    "queues/keep.yaml": Fixtures.queue(entity: "ml-platform", name: "keep-me", type: "kubernetes", revision: 0) + "\npolicy: {prune: false}\n",
                    "queues/drop.yaml": Fixtures.queue(entity: "ml-platform", name: "drop-me", type: "sagemaker", revision: 0) + "\npolicy: {prune: true}\n",
                ]
                let declared = try Self.folder("launchq-policy-declared", extra: files)
                defer { try? FileManager.default.removeItem(at: declared.deletingLastPathComponent()) }
                let applied = try await LaunchqCLI.run(["apply", declared.path, "--auto-approve"] + database, sandbox: sandbox)
                try #require(applied.status == 0, "\(applied.both)")
                let stored = try await store.objects.status(of: ObjectKey(kind: "RunQueue", identity: "ml-platform/drop-me"))
                #expect(stored?.appliedPolicy == #"{"protect":false,"prune":true}"#, "\(String(describing: stored))")

                let queues = [(entity: "ml-platform", name: "keep-me"), (entity: "ml-platform", name: "drop-me")]
                // Without a database only the global setting applies: pruning off leaves both alone.
                let withoutDatabase = try await LaunchqCLI.run(["plan", "examples"], sandbox: sandbox)
                #expect(withoutDatabase.status == 0, "\(withoutDatabase.both)")
                #expect(withoutDatabase.output.contains("? RunQueue ml-platform/drop-me"), "\(withoutDatabase.output)")

                // Pruning off: policy.prune: true deletes drop-me; keep-me is an orphan.
                let off = try await LaunchqCLI.run(["apply", "examples", "--auto-approve"] + database, sandbox: sandbox)
                #expect(off.status == 0, "\(off.both)")
                #expect(off.output.contains("- RunQueue ml-platform/drop-me: no longer declared; policy.prune: true"), "\(off.output)")
                #expect(off.output.contains("? RunQueue ml-platform/keep-me"), "\(off.output)")
                // Pruning on: policy.prune: false keeps keep-me.
                let on = try await LaunchqCLI.run(["apply", "examples", "--prune", "--auto-approve"] + database, sandbox: sandbox)
                #expect(on.status == 0, "\(on.both)")
                #expect(on.output.contains("? RunQueue ml-platform/keep-me: on W&B, not declared; left alone: policy.prune: false"), "\(on.output)")

                let read = try await sandbox.sdkQueues(queues)
                #expect(read["ml-platform/drop-me"] ?? nil == nil, "policy.prune: true must delete drop-me")
                #expect(read["ml-platform/keep-me"] ?? nil != nil, "policy.prune: false must keep keep-me")
            }
        }
    }
}
