@testable import AdminServer
import Declarations
import Foundation
import JSON
import Store
import Testing
import TestSupport

/// The pure parts of the service: backoff, durations, stored declarations, error codes (JSON error positions: JSONTests).
@Suite struct SchedulerLogicTests {
    @Test func backoffDoublesUpToTheCapAndASuccessForgets() {
        var configuration = Backoff.Configuration()
        configuration.base = .seconds(10)
        configuration.maximum = .seconds(60)
        var backoff = Backoff(configuration: configuration)
        #expect(backoff.delay(afterFailures: 1) == .seconds(10))
        #expect(backoff.delay(afterFailures: 2) == .seconds(20))
        #expect(backoff.delay(afterFailures: 3) == .seconds(40))
        #expect(backoff.delay(afterFailures: 4) == .seconds(60))
        #expect(backoff.delay(afterFailures: 400) == .seconds(60))
        let start = ContinuousClock.now
        #expect(backoff.deferredUntil("RunQueue a/b", at: start) == nil)
        backoff.recordFailure("RunQueue a/b", at: start)
        backoff.recordFailure("RunQueue a/b", at: start)
        #expect(backoff.failures(of: "RunQueue a/b") == 2)
        #expect(backoff.deferredUntil("RunQueue a/b", at: start + .seconds(19)) == start + .seconds(20))
        #expect(backoff.deferredUntil("RunQueue a/b", at: start + .seconds(20)) == nil)
        #expect(backoff.deferredUntil("RunQueue other", at: start) == nil)
        let neverFailed = backoff.recordSuccess("RunQueue other")
        #expect(!neverFailed, "nothing to clear for an object that never failed")
        let cleared = backoff.recordSuccess("RunQueue a/b")
        #expect(cleared)
        #expect(backoff.deferredUntil("RunQueue a/b", at: start) == nil)
        #expect(backoff.failures(of: "RunQueue a/b") == 0)
    }

    @Test func durationsAsPeopleWriteThem() {
        #expect(DurationText.parse("30s") == .seconds(30))
        #expect(DurationText.parse("5m") == .seconds(300))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("90") == .seconds(90))
        for bad in ["", "5", "m", "5x", "-5m", "0s", "5m3", "1.5m"] where bad != "5" {
            #expect(DurationText.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func jitterStaysWithinTheFraction() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let spread = Jitter.spread(.seconds(100), fraction: 0.1, using: &generator)
            #expect(spread >= .seconds(90) && spread <= .seconds(110))
        }
        #expect(Jitter.spread(.seconds(100), fraction: 0) == .seconds(100))
    }

    @Test func storedDeclarationsComeBackWithTheSameHashes() throws {
        let report = Validator().validate(paths: [Repository.path("examples")])
        try #require(report.isValid(strict: false))
        let draft = DesiredStateCodec.draft(from: report, source: RevisionSource(kind: "directory", location: "examples"))
        #expect(draft.declarations.count == report.declarations.count)
        let back = try DesiredStateCodec.declarations(from: draft.declarations)
        #expect(back.map(\.contentHash) == report.declarations.map(\.contentHash))
        #expect(back.map(\.location) == report.declarations.map(\.location))
        #expect(back == report.declarations.map { declaration in declaration })
        // A tampered document is refused, not silently reconciled.
        var tampered = draft.declarations
        tampered[0].contentHash = String(repeating: "0", count: 64)
        #expect(throws: DesiredStateError.self) { try DesiredStateCodec.declarations(from: tampered) }
    }

    @Test func errorCodesAreSnakeCase() {
        #expect(APIError.Code.revisionConflict.description == "revision_conflict")
        #expect(APIError.Code.invalidJSON.description == "invalid_json")
        #expect(APIError.Code.bodyTooLarge.description == "body_too_large")
    }
}

/// The direct JSON writer agrees with the `JSONValue` representation it replaces on the hot path.
@Suite struct JSONWriterTests {
    @Test func objectsListMatchesTheCanonicalRepresentation() {
        let statuses = [
            ObjectStatus(
                key: ObjectKey(kind: "RunQueue", identity: "ml/gpu \"quoted\"\n\u{01}é"), desiredHash: "abc", observedHash: nil, wandbID: "UnVu",
                state: .failed, lastError: "boom\t\\\u{08}\u{0C}", attempts: 3, lastReconciledAt: Date(timeIntervalSince1970: 1_764_411_642.7)),
            ObjectStatus(key: ObjectKey(kind: "User", identity: "a@example.com"), state: .pending),
        ]
        let collected = Representation.objectsJSON(statuses)
        let expected = CanonicalJSON.string(.object([
            "objects": .array(statuses.map(Representation.object)), "count": .integer(2),
        ]))
        #expect(String(decoding: collected, as: UTF8.self) == expected)
        #expect(UTCTime.iso8601(Date(timeIntervalSince1970: 1_764_411_642.7)) == "2025-11-29T10:20:42Z")
    }
}
