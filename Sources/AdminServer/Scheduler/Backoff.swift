/// Per-object exponential backoff for objects whose writes keep failing. Pure value type.
///
/// After `n` consecutive failures an object is left alone for `base * 2^(n-1)` (capped at `maximum`);
/// a success forgets it. Scheduled runs skip deferred objects; an on-demand run for one object does not.
public struct Backoff: Sendable, Equatable {
    public struct Configuration: Sendable, Equatable {
        /// The wait after the first failure.
        public var base: Duration = .seconds(30)
        /// The longest wait.
        public var maximum: Duration = .seconds(3600)
        public init() {}
    }

    struct Entry: Sendable, Equatable {
        var failures: Int
        var notBefore: ContinuousClock.Instant
    }

    public var configuration: Configuration
    private(set) var entries: [String: Entry] = [:]

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The wait after `failures` consecutive failures.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = configuration.base
        for _ in 1..<min(failures, 40) {
            delay *= 2
            if delay >= configuration.maximum { return configuration.maximum }
        }
        return min(delay, configuration.maximum)
    }

    /// Records a failed write of `id` (a plan step id such as `RunQueue ml/a100`) at `now`.
    public mutating func recordFailure(_ id: String, at now: ContinuousClock.Instant) {
        let failures = (entries[id]?.failures ?? 0) + 1
        entries[id] = Entry(failures: failures, notBefore: now + delay(afterFailures: failures))
    }

    /// Records a successful write: the object is retried normally again. Returns whether it had an entry (only then
    /// is there anything to write back).
    @discardableResult
    public mutating func recordSuccess(_ id: String) -> Bool {
        entries.removeValue(forKey: id) != nil
    }

    /// Restores an entry kept elsewhere (the database): `id` failed `failures` times in a row and is left alone
    /// until `notBefore`; zero failures forgets it.
    public mutating func restore(_ id: String, failures: Int, notBefore: ContinuousClock.Instant) {
        entries[id] = failures > 0 ? Entry(failures: failures, notBefore: notBefore) : nil
    }

    /// When `id` may be attempted again, if it is deferred at `now`.
    public func deferredUntil(_ id: String, at now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let entry = entries[id], entry.notBefore > now else { return nil }
        return entry.notBefore
    }

    /// Consecutive failures recorded for `id`.
    public func failures(of id: String) -> Int { entries[id]?.failures ?? 0 }
}
