import Foundation
import Logging
import PostgresNIO
import Store
import Testing
import TestSupport

/// The token cache against PostgreSQL: it answers only while a control listener runs, and a revocation on one
/// replica stops the token on another through the `launchq_control` notification, long before the entry expires.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct TokenCacheTests {
    /// Polls `condition` every 20 ms until it holds or `limit` passes; whether it held.
    static func eventually(within limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// A second replica's store on the same database (its own pool and a cache whose entries last an hour, so only
    /// the notification can explain a revocation seen within the test's deadline), listening on the control channel.
    static func withListeningReplica(
        _ configuration: DatabaseConfiguration, _ body: @Sendable (PostgresStore) async throws -> Void
    ) async throws {
        let replica = try PostgresStore(
            configuration: configuration, logger: Logger(label: "replica-b"), tokenCache: TokenCache(maxAge: .seconds(3600)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await replica.run() }
            group.addTask { try await replica.listenForControl { _ in } }
            defer { group.cancelAll() }
            #expect(try await eventually { replica.tokenCache.isServing }, "the listener started")
            try await body(replica)
        }
    }

    @Test func aTokenRevokedOnOneReplicaStopsOnAnotherAtOnceAndIsRefusedEveryTime() async throws {
        try await TestDatabase.withFreshDatabase { store, configuration in
            let issued = try await store.tokens.create(name: "poller", role: .viewer)
            try await Self.withListeningReplica(configuration) { replica in
                #expect(try await replica.tokens.verify(secret: issued.secret)?.name == "poller")
                #expect(replica.tokenCache.hits == 0, "the first check asks the database")
                #expect(try await replica.tokens.verify(secret: issued.secret)?.name == "poller")
                #expect(replica.tokenCache.hits == 1, "the second check is answered from memory")

                // Revoked through the other store (another replica, or `launchq token revoke`).
                try await store.tokens.revoke(name: "poller")
                #expect(try await Self.eventually { try await replica.tokens.verify(secret: issued.secret) == nil })
                let hits = replica.tokenCache.hits
                for _ in 0..<5 { #expect(try await replica.tokens.verify(secret: issued.secret) == nil) }
                #expect(replica.tokenCache.hits == hits, "a revoked token is never answered from memory")

                // An unknown secret is refused by the database every time, and a new token works at once.
                let unknown = TokenSecret.generate()
                for _ in 0..<3 { #expect(try await replica.tokens.verify(secret: unknown) == nil) }
                let again = try await store.tokens.create(name: "poller", role: .admin)
                #expect(try await replica.tokens.verify(secret: again.secret)?.role == .admin)
            }
        }
    }

    @Test func withoutAListenerEveryCheckAsksTheDatabase() async throws {
        try await TestDatabase.withFreshDatabase { store in
            let issued = try await store.tokens.create(name: "cli", role: .admin)
            #expect(!store.tokenCache.isServing)
            for _ in 0..<3 { #expect(try await store.tokens.verify(secret: issued.secret) != nil) }
            #expect(store.tokenCache.hits == 0)
            try await store.tokens.revoke(name: "cli")
            #expect(try await store.tokens.verify(secret: issued.secret) == nil)
        }
    }

    @Test func aRevocationDuringACheckKeepsItsAnswerOutOfTheCache() async throws {
        let cache = TokenCache(maxAge: .seconds(3600))
        cache.listenerStarted()
        let token = APIToken(id: 7, name: "slow", role: .viewer, createdAt: Date())
        // A check read the generation, then the token was revoked before the check's answer came back.
        let generation = try #require(cache.generationBeforeLookup())
        cache.handle(notification: "token-revoked:7")
        cache.remember(token, hash: "h", generation: generation)
        #expect(cache.token(forHash: "h") == nil)
        // Stored under the current generation it is answered; a revocation of another id leaves it; its own removes it.
        cache.remember(token, hash: "h", generation: try #require(cache.generationBeforeLookup()))
        #expect(cache.token(forHash: "h") == token)
        cache.handle(notification: "token-revoked:8")
        #expect(cache.token(forHash: "h") == token)
        cache.handle(notification: "token-revoked:7")
        #expect(cache.token(forHash: "h") == nil)
        // When the listener stops, nothing is answered or stored.
        cache.remember(token, hash: "h", generation: try #require(cache.generationBeforeLookup()))
        cache.listenerStopped()
        #expect(cache.token(forHash: "h") == nil)
        #expect(cache.generationBeforeLookup() == nil)
    }

    @Test func anEntryExpiresAfterMaxAge() async throws {
        let cache = TokenCache(maxAge: .milliseconds(50))
        cache.listenerStarted()
        let token = APIToken(id: 1, name: "short", role: .viewer, createdAt: Date())
        cache.remember(token, hash: "h", generation: try #require(cache.generationBeforeLookup()))
        #expect(cache.token(forHash: "h") == token)
        #expect(try await Self.eventually { cache.token(forHash: "h") == nil })
    }

    @Test func theObjectsVersionMovesOncePerWritingTransaction() async throws {
        try await TestDatabase.withFreshDatabase { store in
            let objects = store.objects
            let start = try await objects.version()
            #expect(try await objects.summary(ObjectFilter()).version == start)
            try await objects.record((0..<50).map { ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: "e/q\($0)"), state: .ready) })
            #expect(try await objects.version() == start + 1, "50 rows in one transaction: one step")
            _ = try await objects.list()
            _ = try await objects.page(ObjectFilter(), after: nil, limit: 10)
            #expect(try await objects.version() == start + 1, "reads leave it")
            let summary = try await objects.summary(ObjectFilter(kind: "RunQueue"))
            #expect(summary.version == start + 1)
            #expect(summary.total == 50)
            #expect(try await objects.summary(ObjectFilter(kind: "Nothing")).version == start + 1, "an empty filter has it too")
            #expect(try await objects.remove(ObjectKey(kind: "RunQueue", identity: "e/q0")))
            #expect(try await objects.version() == start + 2)
        }
    }
}
