import Logging
import Synchronization

/// The lease re-check before a run writes (before the first round and before planning each further round): a
/// replica that lost the lease (say, while its database was away longer than the lease) writes nothing more; the
/// run is stopped through `drain` and ends without writing.
final class LeaseCheck: Sendable {
    private let check: @Sendable () async -> Bool
    private let drain: DrainSignal
    private let logger: Logger
    private let lostFlag = Atomic<Bool>(false)

    /// `confirm` renews the lease now and says whether it is still held.
    init(confirm: @escaping @Sendable () async -> Bool, drain: DrainSignal, logger: Logger) {
        self.check = confirm
        self.drain = drain
        self.logger = logger
    }

    /// Whether this replica still holds the lease; when it does not, the run is stopped.
    func confirm() async -> Bool {
        guard await check() else {
            if !lostFlag.exchange(true, ordering: .acquiringAndReleasing) {
                logger.warning("this replica no longer holds the reconciler lease; writing nothing more")
            }
            drain.set()
            return false
        }
        return true
    }

    /// Whether a check found the lease lost.
    var lost: Bool { lostFlag.load(ordering: .acquiring) }
}
