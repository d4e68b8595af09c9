/// When and how long to wait before trying a request again.
///
/// Pure: ``decide(after:attempt:kind:random:)`` looks only at its arguments, so the rules
/// are tested without a server. The client applies the decisions and the total deadline.
public struct RetryPolicy: Sendable, Hashable {
    /// Most attempts per operation, the first included.
    public var maximumAttempts: Int
    /// The wait before the first retry (before jitter).
    public var initialBackoff: Duration
    /// The longest computed wait (a server's `Retry-After` may ask for longer and is honoured).
    public var maximumBackoff: Duration
    /// Each computed wait is multiplied by a random factor from this range.
    public var jitter: ClosedRange<Double>

    /// - Parameters:
    ///   - maximumAttempts: 8 by default.
    ///   - initialBackoff: 250 ms by default; doubled on every retry.
    ///   - maximumBackoff: 10 s by default.
    ///   - jitter: `1.0...1.25` by default (the factor the W&B SDK uses).
    public init(
        maximumAttempts: Int = 8,
        initialBackoff: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(10),
        jitter: ClosedRange<Double> = 1.0...1.25
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = jitter
    }

    /// Never retry.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// What happened on one attempt, as far as retrying is concerned.
    public enum Outcome: Sendable, Hashable {
        /// The server answered with this status (and maybe a `Retry-After`).
        case status(Int, retryAfter: Duration?)
        /// No HTTP answer arrived (connection refused or reset, attempt timed out).
        case transportFailure
    }

    /// The verdict on one failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Try again after this wait.
        case retry(after: Duration)
        /// Give up and report the failure.
        case giveUp
    }

    /// Whether a failure with this status is worth retrying at all: 408, 429 and 5xx except
    /// 501 (not implemented) and 505 (version not supported).
    public static func isTransient(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status) && status != 501 && status != 505
    }

    /// Decides whether to retry after a failed attempt.
    ///
    /// - Reads and idempotent mutations are retried on transient statuses (``isTransient(status:)``)
    ///   and transport failures.
    /// - Other mutations are retried only on 429 (a rate-limited request was not processed);
    ///   a 5xx or a lost connection may have applied the change, so they are never retried blindly.
    /// - A `Retry-After` is honoured as given; otherwise the wait is
    ///   `min(maximumBackoff, initialBackoff * 2^(attempt-1)) * jitter`.
    /// - Parameters:
    ///   - outcome: what the failed attempt got.
    ///   - attempt: the number of the attempt that failed, starting at 1.
    ///   - kind: the operation's retry class.
    ///   - random: a number in `0..<1` picking the jitter factor.
    public func decide(after outcome: Outcome, attempt: Int, kind: OperationKind, random: Double) -> Decision {
        guard attempt < maximumAttempts else { return .giveUp }
        let retryAfter: Duration?
        switch outcome {
        case .status(let status, let serverWait):
            guard Self.isTransient(status: status) else { return .giveUp }
            if kind == .mutation, status != 429 { return .giveUp }
            retryAfter = serverWait
        case .transportFailure:
            guard kind != .mutation else { return .giveUp }
            retryAfter = nil
        }
        if let retryAfter { return .retry(after: max(.zero, retryAfter)) }
        return .retry(after: backoff(beforeRetry: attempt, random: random))
    }

    /// The computed wait before retry number `retry` (1 for the first retry).
    public func backoff(beforeRetry retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let base = min(maximumBackoff, initialBackoff * (1 << exponent))
        let clamped = min(max(random, 0), 1)
        let factor = jitter.lowerBound + (jitter.upperBound - jitter.lowerBound) * clamped
        return base * factor
    }
}

/// How an operation may be retried.
public enum OperationKind: String, Sendable, Hashable {
    /// A query: always safe to repeat.
    case query
    /// A mutation whose repetition has the same effect as one run (`upsertRunQueue`,
    /// `deleteRunQueues`, `upsertModel`).
    case idempotentMutation
    /// A mutation that may create a second object or fail when repeated (`createRunQueue`,
    /// `createTeam`, `createDefaultResourceConfig`, ...).
    case mutation
}
