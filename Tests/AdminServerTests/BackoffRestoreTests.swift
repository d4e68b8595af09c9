@testable import AdminServer
import Testing

/// The pure backoff value rebuilt from entries the database keeps (the runner does this at the start of each run).
struct BackoffRestoreTests {
    @Test func aRestoredEntryDefersLikeARecordedOneAndContinuesCounting() {
        let now = ContinuousClock.now
        var configuration = Backoff.Configuration()
        configuration.base = .seconds(10)
        var backoff = Backoff(configuration: configuration)
        backoff.restore("RunQueue ml/a100", failures: 2, notBefore: now + .seconds(15))
        #expect(backoff.failures(of: "RunQueue ml/a100") == 2)
        #expect(backoff.deferredUntil("RunQueue ml/a100", at: now) == now + .seconds(15))
        #expect(backoff.deferredUntil("RunQueue ml/a100", at: now + .seconds(16)) == nil)
        // The next failure continues from the restored count: 10 s · 2² = 40 s.
        backoff.recordFailure("RunQueue ml/a100", at: now + .seconds(16))
        #expect(backoff.failures(of: "RunQueue ml/a100") == 3)
        #expect(backoff.deferredUntil("RunQueue ml/a100", at: now + .seconds(16)) == now + .seconds(56))
        // Zero failures forgets it.
        backoff.restore("RunQueue ml/a100", failures: 0, notBefore: now + .seconds(100))
        #expect(backoff.failures(of: "RunQueue ml/a100") == 0)
        #expect(backoff.deferredUntil("RunQueue ml/a100", at: now) == nil)
    }
}
