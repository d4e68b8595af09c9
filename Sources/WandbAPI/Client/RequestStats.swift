import Synchronization

/// Counts what a client sent, so tests and benchmarks can report round trips.
public final class RequestStats: Sendable {
    /// The counts at one moment.
    public struct Snapshot: Sendable, Hashable, CustomStringConvertible {
        /// HTTP requests sent (every attempt, retries included).
        public var requests: Int = 0
        /// Operations started (one per call, however many attempts it took).
        public var operations: Int = 0
        /// Attempts that were retries.
        public var retries: Int = 0
        /// Operations that ended in an error.
        public var failures: Int = 0
        /// HTTP requests by operation name.
        public var requestsByOperation: [String: Int] = [:]
        /// Read batches that timed out, broke the server or were too complex, and were read in halves.
        public var batchSplits: Int = 0

        public init() {}

        public var description: String {
            "requests=\(requests) operations=\(operations) retries=\(retries) failures=\(failures) batchSplits=\(batchSplits)"
        }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    /// The counts now.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Sets every count back to zero.
    public func reset() { state.withLock { $0 = Snapshot() } }

    func recordOperation() { state.withLock { $0.operations += 1 } }

    func recordRequest(_ operation: String, isRetry: Bool) {
        state.withLock {
            $0.requests += 1
            $0.requestsByOperation[operation, default: 0] += 1
            if isRetry { $0.retries += 1 }
        }
    }

    func recordFailure() { state.withLock { $0.failures += 1 } }

    func recordBatchSplit() { state.withLock { $0.batchSplits += 1 } }
}
