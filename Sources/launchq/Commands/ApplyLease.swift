import AdminServer
import ArgumentParser
import Foundation
import Store
import Synchronization
import UnixSignals

/// `launchq apply`'s hold on the reconciler lease (the one `launchq serve` replicas share), so that one writer at a
/// time changes W&B: with a database configured, apply waits up to `--lock-timeout` for the lease, renews it while it
/// applies and releases it at the end (also when it fails or is interrupted with SIGINT/SIGTERM). Without a
/// database there is nothing to share and nothing is taken.
struct ApplyLease: Sendable {
    /// How long the lease lasts without renewal; renewed every third of it. A killed apply blocks serve this long at most.
    static let duration: Duration = .seconds(15)
    /// How often a waiting apply tries again.
    static let retry: Duration = .milliseconds(250)

    /// Parses `--lock-timeout`.
    static func timeout(_ text: String) throws -> Duration {
        guard let duration = DurationText.parse(text) else {
            throw ValidationError("--lock-timeout must be a duration such as 0s, 30s or 5m, got '\(text)'")
        }
        return duration
    }

    /// Runs `body` holding the lease when `store` is given; `body` gets whether the lease was lost meanwhile.
    static func holding<Result: Sendable>(
        _ store: PostgresStore?, timeout: Duration, _ body: @Sendable (_ lost: @escaping @Sendable () -> Bool) async throws -> Result
    ) async throws -> Result {
        guard let store else { return try await body({ false }) }
        let lease = store.lease()
        let holder = LeaseHolder.apply()
        let held = try await acquire(lease, holder: holder, timeout: timeout)
        let lost = LostFlag()
        let outcome: Swift.Result<Result, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Renew every third of the lease; a lease lost (taken over, or not renewed within its duration because
                // the database did not answer) stops the apply before its next write.
                var renewed = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: duration / 3)
                    if Task.isCancelled { return }
                    let stillHeld: Bool
                    do {
                        stillHeld = try await lease.renew(holder: holder, term: held.term, duration: duration) != nil
                        if stillHeld { renewed = .now }
                    } catch {
                        stillHeld = ContinuousClock.now - renewed < duration
                    }
                    if !stillHeld, !Task.isCancelled {
                        lost.set()
                        printError("error: this launchq apply lost the reconciler lease; stopping before the next write")
                        return
                    }
                }
            }
            group.addTask {
                // SIGINT/SIGTERM: give the lease back at once so serve (or another apply) need not wait for it to lapse.
                for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                    _ = try? await OperationDeadline.run(.seconds(1), onTimeout: { CancellationError() }) {
                        try await lease.release(holder: holder, term: held.term)
                    }
                    printError("launchq apply: interrupted; released the reconciler lease")
                    Foundation.exit(signal == .sigint ? 130 : 143)
                }
            }
            defer { group.cancelAll() }
            do {
                return .success(try await body({ lost.isSet }))
            } catch {
                return .failure(error)
            }
        }
        _ = try? await OperationDeadline.run(.seconds(5), onTimeout: { CancellationError() }) {
            try await lease.release(holder: holder, term: held.term)
        }
        return try outcome.get()
    }

    /// Takes the lease, waiting up to `timeout` while another holder has it; then exits 1 naming the holder.
    static func acquire(_ lease: PostgresLeaderLease, holder: String, timeout: Duration) async throws -> Lease {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var announced: String?
        while true {
            if let held = try await lease.acquire(holder: holder, duration: duration) { return held }
            let current = try await lease.current()
            let other = current?.holder ?? "another writer"
            let since = current.map { " since \($0.acquiredAt.formatted(.iso8601))" } ?? ""
            if clock.now >= deadline {
                printError(
                    "error: the reconciler lease is held by \(other)\(since); gave up after --lock-timeout \(timeout.formatted()). "
                        + "One writer at a time: wait for that apply to end, or stop launchq serve, then try again.")
                throw ExitCode(1)
            }
            if announced != other {
                printError("waiting up to \(timeout.formatted()) for the reconciler lease, held by \(other)\(since)")
                announced = other
            }
            try await Task.sleep(for: min(retry, max(deadline - clock.now, .milliseconds(10))))
        }
    }
}

/// Whether the lease was lost; set by the renewal task, read before each write.
final class LostFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
