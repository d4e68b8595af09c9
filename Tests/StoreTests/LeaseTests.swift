import Declarations
import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

@Suite("Leader lease against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct LeaseTests {
    @Test func aHeldLeaseCannotBeTakenUntilItExpiresThenCan() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let lease: any LeaderLease = store.lease()
            // Long leases while checking that a live lease is held (a loaded machine must not expire them).
            let a = try #require(try await lease.acquire(holder: "replica-a", duration: .seconds(60)))
            #expect(a.holder == "replica-a" && a.term == 1)

            #expect(try await lease.acquire(holder: "replica-b", duration: .seconds(30)) == nil)
            #expect(try await lease.renew(holder: "replica-b", term: a.term, duration: .seconds(30)) == nil)
            let renewed = try #require(try await lease.renew(holder: "replica-a", term: a.term, duration: .seconds(60)))
            #expect(renewed.term == a.term && renewed.expiresAt >= a.expiresAt)
            let reacquired = try #require(try await lease.acquire(holder: "replica-a", duration: .seconds(60)))
            #expect(reacquired.term == a.term, "re-acquiring one's own live lease keeps the term")
            #expect(try await lease.current()?.holder == "replica-a")

            // Shorten it, then wait for expiry (by the database clock) without renewing: b gets it only then.
            _ = try #require(try await lease.renew(holder: "replica-a", term: a.term, duration: .milliseconds(300)))
            var taken: Lease?
            for _ in 0..<100 where taken == nil {
                taken = try await lease.acquire(holder: "replica-b", duration: .seconds(30))
                if taken == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let b = try #require(taken, "the lease never expired")
            #expect(b.holder == "replica-b" && b.term == a.term + 1)
            #expect(try await lease.renew(holder: "replica-a", term: a.term, duration: .seconds(30)) == nil, "a lost it")
            #expect(try await lease.acquire(holder: "replica-a", duration: .seconds(30)) == nil)

            // Releasing hands it over at once.
            #expect(try await lease.release(holder: "replica-a", term: a.term) == false)
            #expect(try await lease.release(holder: "replica-b", term: b.term))
            let c = try #require(try await lease.acquire(holder: "replica-a", duration: .seconds(30)))
            #expect(c.term == b.term + 1)
        }
    }

    @Test func concurrentAcquirersGetExactlyOneLease() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let lease = store.lease(named: "race")
            let winners = try await withThrowingTaskGroup(of: Lease?.self) { group in
                for replica in 0..<6 { group.addTask { try await lease.acquire(holder: "replica-\(replica)", duration: .seconds(30)) } }
                return try await group.reduce(into: [Lease]()) { if let lease = $1 { $0.append(lease) } }
            }
            #expect(winners.count == 1)
            #expect(try await lease.current()?.holder == winners.first?.holder)
        }
    }
}

@Suite("API tokens against PostgreSQL", .enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct TokenTests {
    @Test func aTokenVerifiesAndARevokedOneDoesNot() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            let tokens: any TokenRepository = store.tokens
            let issued = try await tokens.create(name: "ci", role: .admin)
            #expect(!"\(issued)".contains(issued.secret), "description redacts the secret")

            let verified = try #require(try await tokens.verify(secret: issued.secret))
            #expect(verified.name == "ci" && verified.role == .admin && verified.lastUsedAt != nil)
            #expect(try await tokens.verify(secret: issued.secret + "x") == nil)
            #expect(try await tokens.verify(secret: "lq_" + String(repeating: "0", count: 64)) == nil)

            // Only the hash is stored.
            #expect(try await store.values("SELECT count(*)::bigint FROM api_tokens WHERE token_sha256 = \(issued.secret)", as: Int.self) == [0])
            #expect(try await store.values("SELECT token_sha256 FROM api_tokens", as: String.self) == [ContentHash.sha256(issued.secret)])

            let revoked = try await tokens.revoke(name: "ci")
            #expect(revoked.revokedAt != nil)
            #expect(try await tokens.verify(secret: issued.secret) == nil)
            #expect(await storeError { try await tokens.revoke(name: "ci") }?.code == .tokenNotFound)
            #expect(try await tokens.list(includeRevoked: false).isEmpty)
            #expect(try await tokens.list(includeRevoked: true).map(\.name) == ["ci"])

            // The name can be reused once revoked, but not while active.
            let replacement = try await tokens.create(name: "ci", role: .viewer)
            #expect(try await tokens.verify(secret: replacement.secret)?.role == .viewer)
            #expect(await storeError { _ = try await tokens.create(name: "ci", role: .admin) }?.code == .tokenNameTaken)
        }
    }

    @Test func awkwardTokenNamesRoundTrip() async throws {
        try await TestDatabase.withFreshDatabase { (store) async throws in
            for name in awkwardTexts.filter({ !$0.contains("\t") && !$0.contains("\n") }) {
                let issued = try await store.tokens.create(name: name, role: .viewer)
                #expect(issued.token.name == name)
                #expect(try await store.tokens.verify(secret: issued.secret)?.name == name)
            }
            #expect(Set(try await store.tokens.list(includeRevoked: false).map(\.name)).count == 4)
            #expect(await storeError { _ = try await store.tokens.create(name: "tab\tand\nnewline", role: .viewer) }?.code == .invalidToken)
        }
    }
}
