import Foundation
import JSON
import Logging
import Store
import Synchronization

/// What replicas share through PostgreSQL: the suspension, reconcile requests (recorded by any replica, run by the
/// leader) and the notifications (``ControlChannel``) that wake every replica when either changes.
extension Scheduler {
    /// Records a reconcile request for `object` (or all) by `actor`; the leader (whichever replica it is) claims it
    /// at once, woken by the notification. Explicit requests run even while suspended.
    public func requestReconcile(
        _ object: ObjectKey?, by actor: String, deletions: DeletionOverrides = .none
    ) async throws -> ReconcileRequestRecord {
        let record = try await runner.store.reconcileRequests.record(
            object: object, by: actor, replica: configuration.replicaID, deletions: deletions)
        state.withLock { $0.poked = true }
        return record
    }

    /// Polls the recorded request `id` until it is finished or `limit` has passed; returns it as it then stands.
    public func waitForRequest(_ id: Int64, limit: Duration, poll: Duration = .milliseconds(50)) async throws -> ReconcileRequestRecord? {
        let deadline = ContinuousClock.now + limit
        while true {
            let record = try await runner.store.reconcileRequests.find(id)
            guard let record, record.state != .finished, ContinuousClock.now < deadline, !Task.isCancelled else { return record }
            try await Task.sleep(for: poll)
        }
    }

    /// Listens for notifications until cancelled, listening again a second after the connection fails; each one
    /// (and the start of listening) makes the loop look at the suspension and the requests at its next tick.
    func listenForControl() async {
        var failures = 0
        while !Task.isCancelled, !shutdown.isSet {
            do {
                try await runner.store.listenForControl(listening: { [self] in
                    state.withLock { $0.poked = true }
                }) { [self] _ in
                    state.withLock { $0.poked = true }
                }
                failures = 0
            } catch {
                failures += 1
                if failures == 1 {
                    logger.warning(
                        "not listening for control notifications; polling meanwhile",
                        metadata: ["error": "\(ReconcileRunner.describe(error))"])
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Reads the suspension (every replica agrees on it); keeps the last one seen when the database does not answer.
    func refreshControl() async {
        guard let suspension = try? await runner.store.control.suspension() else { return }
        let was = state.withLock { $0.suspension?.suspended }
        apply(suspension)
        if was != suspension.suspended, was != nil {
            logger.info(
                suspension.suspended ? "scheduled reconciliation suspended" : "scheduled reconciliation resumed",
                metadata: ["by": "\(suspension.changedBy ?? "-")"])
        }
    }

    /// The leader claims the recorded requests (under its lease term) and queues them for the next run.
    func claimRequests() async {
        guard let lease = state.withLock({ $0.lease }) else { return }
        do {
            let claimed = try await runner.store.reconcileRequests.claim(replica: configuration.replicaID, term: lease.term)
            guard !claimed.isEmpty else { return }
            state.withLock { state in
                for record in claimed {
                    state.pending.append(Pending(
                            request: ReconcileRequest(trigger: "request", object: record.object, deletions: record.deletions), recorded: record.id))
                }
            }
            logger.info("claimed reconcile requests", metadata: ["ids": "\(claimed.map(\.id))"])
        } catch {
            logger.warning("could not read reconcile requests", metadata: ["error": "\(ReconcileRunner.describe(error))"])
        }
    }

    /// Records how the run that covered the requests `ids` ended, for `?wait=true` on whichever replica asked.
    func finishRequests(_ ids: [Int64], with run: ReconcileRun) async {
        guard !ids.isEmpty else { return }
        let text = CanonicalJSON.string(Representation.run(run))
        do {
            try await runner.store.reconcileRequests.finish(ids, outcome: run.outcome, run: text)
        } catch {
            logger.warning(
                "could not record how requested runs ended", metadata: ["ids": "\(ids)", "error": "\(ReconcileRunner.describe(error))"])
        }
    }
}
