import Foundation
import Logging
import PostgresNIO
import Store
import Synchronization
import Testing
import TestSupport

/// The objects' version kept in memory against PostgreSQL: answered without a query only while a control listener
/// runs, never behind a write this process made (even before its notification arrives), and moved by another
/// process's write through the `objects-version:<n>` notification (migration 0006).
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ObjectsVersionCacheTests {
    static func queue(_ name: String, state: ObjectState = .ready) -> ObjectStatus {
        ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: "e/\(name)"), state: state)
    }

    /// The version as the database has it now (a store without a listener always reads it).
    static func databaseVersion(_ store: PostgresStore) async throws -> Int64 {
        try #require(try await store.values("SELECT version FROM objects_version", as: Int64.self).first)
    }

    @Test func aListeningReplicaAnswersFromMemoryAndIsNeverBehindAWrite() async throws {
        try await TestDatabase.withFreshDatabase { store, configuration in
            #expect(!store.objectsVersion.isServing)
            try await store.objects.record(Self.queue("a"))
            #expect(try await store.objects.version() == Self.databaseVersion(store), "no listener: read from the database")
            #expect(store.objectsVersion.hits == 0)

            let replica = try PostgresStore(configuration: configuration, logger: Logger(label: "replica-b"))
            let passedOn = Payloads()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await replica.run() }
                group.addTask { try await replica.listenForControl { payload in passedOn.list.withLock { $0.append(payload) } } }
                defer { group.cancelAll() }
                #expect(try await TokenCacheTests.eventually { replica.objectsVersion.generationBeforeRead() != nil }, "the listener started")

                // The first read asks the database; after it the version comes from memory.
                let first = try await replica.objects.version()
                #expect(first == (try await Self.databaseVersion(store)))
                #expect(replica.objectsVersion.isServing)
                for _ in 0..<3 { #expect(try await replica.objects.version() == first) }
                #expect(replica.objectsVersion.hits == 3)

                // Another process writes: its notification moves the version.
                try await store.objects.record(Self.queue("b"))
                let afterOther = try await Self.databaseVersion(store)
                #expect(afterOther > first)
                #expect(try await TokenCacheTests.eventually { try await replica.objects.version() == afterOther })

                // This process writes: the version covers the write as soon as it returned, notification or not.
                for step in 0..<5 {
                    try await replica.objects.record(Self.queue("c\(step)", state: step.isMultiple(of: 2) ? .failed : .ready))
                    let version = try await replica.objects.version()
                    #expect(version >= (try await Self.databaseVersion(store)), "write \(step)")
                }
                #expect(try await replica.objects.remove(Self.queue("c0").key))
                #expect(try await replica.objects.version() >= (try await Self.databaseVersion(store)), "after a removal")
                #expect(replica.objectsVersion.hits > 3)

                // Versions are the cache's alone: the scheduler is not woken by every write.
                #expect(passedOn.list.withLock { $0 }.allSatisfy { !$0.hasPrefix(ObjectsVersionCache.payloadPrefix) })
            }
            #expect(!replica.objectsVersion.isServing, "the listener stopped: the database is asked again")
        }
    }

    @Test func aReadFromBeforeAListenerChangeIsNotTrusted() {
        let cache = ObjectsVersionCache()
        #expect(cache.generationBeforeRead() == nil, "no listener: nothing to trust")
        cache.listenerStarted()
        #expect(cache.current() == nil, "nothing read yet")
        let stale = try! #require(cache.generationBeforeRead())
        cache.listenerStopped()
        cache.listenerStarted()
        cache.read(5, generation: stale)
        #expect(cache.current() == nil, "read while the listener changed")

        // Announced during a read: the higher one wins.
        let generation = try! #require(cache.generationBeforeRead())
        cache.handle(notification: "objects-version:9")
        cache.read(5, generation: generation)
        #expect(cache.current() == 9)
        #expect(cache.handle(notification: "objects-version:12"))
        #expect(cache.current() == 12)
        #expect(!cache.handle(notification: "token-revoked:3"), "other payloads are not the cache's")
        cache.handle(notification: "objects-version:11")
        #expect(cache.current() == 12, "never backwards")

        // A write whose version could not be read back, or a payload that is not a number: ask the database.
        cache.forget()
        #expect(cache.current() == nil)
        let again = try! #require(cache.generationBeforeRead())
        cache.read(13, generation: again)
        #expect(cache.current() == 13)
        cache.handle(notification: "objects-version:x")
        #expect(cache.current() == nil)
        cache.listenerStopped()
        #expect(cache.generationBeforeRead() == nil)
    }

    @Test func migration6HashesTheRowsItFindsAsTheSummaryDid() async throws {
        try await TestDatabase.withFreshDatabase(migrate: false) { (store) async throws in
            _ = try await Migrator(store: store, migrations: Array(Migration.embedded.prefix(5))).migrate()
            _ = try await store.values(
                """
                INSERT INTO objects (kind, identity, desired_hash, wandb_id, state, last_error, attempts, last_reconciled_at, updated_at)
                SELECT 'RunQueue', 'e/q' || i, md5(i::text), NULL, 'ready', CASE WHEN i % 3 = 0 THEN 'boom' END, i % 4, now(), now()
                FROM generate_series(1, 40) i RETURNING 1
                """, as: Int.self)
            // Up to 6 only: 0007 hashes last_reconciled_at as a number (ListedHashTimeZoneTests), checked below.
            _ = try await Migrator(store: store, migrations: Array(Migration.embedded.prefix(6))).migrate()
            let expression = "hashtextextended(ROW(kind, identity, desired_hash, observed_hash, wandb_id, state, last_error, attempts, last_reconciled_at)::text, 0)"
            #expect(try await store.values(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM objects WHERE listed_hash = \(expression)"), as: Int.self) == [40])
            // And every later write keeps it.
            try await store.objects.record(ObjectStatus(key: ObjectKey(kind: "RunQueue", identity: "e/q7"), state: .failed, lastError: "new"))
            try await store.objects.record(Self.queue("new"))
            #expect(try await store.values(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM objects WHERE listed_hash = \(expression)"), as: Int.self) == [41])
            // 0007 rehashes every row, the timestamp as microseconds since the epoch.
            _ = try await store.migrator.migrate()
            let since7 = "hashtextextended(ROW(kind, identity, desired_hash, observed_hash, wandb_id, state, last_error, attempts, (extract(epoch FROM last_reconciled_at) * 1000000)::bigint)::text, 0)"
            #expect(try await store.values(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM objects WHERE listed_hash = \(since7)"), as: Int.self) == [41])
        }
    }
}

/// The payloads a listener passed on.
private final class Payloads: Sendable {
    let list = Mutex<[String]>([])
}
