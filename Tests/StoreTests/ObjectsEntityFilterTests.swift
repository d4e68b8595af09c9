import Foundation
import PostgresNIO
import Store
import Testing
import TestSupport

/// `GET /v1/objects?entity=` through the `objects_entity` index (migration 0007) lists and counts exactly what the
/// filter did before: the team so named and the projects and queues named `entity/…`, never users, and never the
/// objects of an entity whose name merely starts with it (`ml` and `ml-ops`).
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason))
struct ObjectsEntityFilterTests {
    static let objects: [ObjectStatus] = {
        var objects: [ObjectStatus] = []
        func add(_ kind: String, _ identity: String, _ state: ObjectState = .ready) {
            objects.append(ObjectStatus(key: ObjectKey(kind: kind, identity: identity), desiredHash: "h-\(identity)", state: state))
        }
        for team in ["ml", "ml-ops", "m", "research"] { add("Team", team, team == "m" ? .failed : .ready) }
        for user in ["ml", "ml-ops", "ml/x", "alice@example.com"] { add("User", user) }
        for (index, queue) in ["ml/gpu", "ml/cpu", "ml/a-b", "ml/z", "ml-ops/gpu", "ml-ops/cpu", "m/q", "mlx/q", "research/q", "ml/q/deep"]
            .enumerated() {
            add("RunQueue", queue, index.isMultiple(of: 3) ? .failed : (index.isMultiple(of: 2) ? .drifted : .ready))
        }
        for project in ["ml/p1", "ml/p2", "ml-ops/p1", "research/p", "nobody/p"] { add("Project", project, .pending) }
        return objects
    }()

    /// The filter as 0006 had it, with no index to use: the reference.
    static func before(_ store: PostgresStore, entity: String, kind: String?, state: ObjectState?) async throws -> [ObjectKey] {
        let rows = try await store.client.query(
            """
            SELECT kind, identity FROM objects
            WHERE (\(kind)::text IS NULL OR kind = \(kind)::text) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue)::text)
              AND ((kind = 'Team' AND identity = \(entity)::text)
                   OR (kind NOT IN ('Team', 'User') AND left(identity, length(\(entity)::text) + 1) = \(entity)::text || '/'))
            ORDER BY kind, identity
            """, logger: TestDatabase.logger)
        var keys: [ObjectKey] = []
        for try await (kind, identity) in rows.decode((String, String).self) { keys.append(ObjectKey(kind: kind, identity: identity)) }
        return keys
    }

    /// Every page of the filter, `limit` objects at a time.
    static func walk(_ store: PostgresStore, _ filter: ObjectFilter, limit: Int) async throws -> [ObjectKey] {
        var keys: [ObjectKey] = []
        var after: ObjectKey?
        repeat {
            let page = try await store.objects.page(filter, after: after, limit: limit)
            #expect(page.objects.count <= limit)
            keys += page.objects.map(\.key)
            after = page.next
        } while after != nil && keys.count <= objects.count
        return keys
    }

    @Test func entityPagesAndCountsAreThoseOfTheFilterWithoutTheIndex() async throws {
        try await TestDatabase.withFreshDatabase { store, _ in
            try await store.objects.record(Self.objects)
            // The rule in the user's words, independent of SQL: what each entity must list.
            let expected: [String: Set<String>] = [
                "ml": ["Team ml", "RunQueue ml/gpu", "RunQueue ml/cpu", "RunQueue ml/a-b", "RunQueue ml/z", "RunQueue ml/q/deep",
                       "Project ml/p1", "Project ml/p2"],
                "ml-ops": ["Team ml-ops", "RunQueue ml-ops/gpu", "RunQueue ml-ops/cpu", "Project ml-ops/p1"],
                "m": ["Team m", "RunQueue m/q"],
                "nobody": ["Project nobody/p"],
                "alice@example.com": [], "mlx": ["RunQueue mlx/q"], "ml/q": ["RunQueue ml/q/deep"], "": [],
            ]
            for (entity, names) in expected {
                let all = try await Self.before(store, entity: entity, kind: nil, state: nil)
                #expect(Set(all.map { "\($0.kind) \($0.identity)" }) == names, "the reference filter, entity '\(entity)'")
                for kind in [nil, "Team", "RunQueue", "Project", "User"] {
                    for state in [nil] + ObjectState.allCases.map(Optional.some) {
                        let filter = ObjectFilter(kind: kind, state: state, entity: entity)
                        let reference = try await Self.before(store, entity: entity, kind: kind, state: state)
                        for limit in kind == nil && state == nil ? [1, 3, 100] : [2] {
                            #expect(try await Self.walk(store, filter, limit: limit) == reference, "\(filter), limit \(limit)")
                        }
                        let summary = try await store.objects.summary(filter)
                        let counts = Dictionary(grouping: Self.objects.filter { reference.contains($0.key) }, by: \.state).mapValues(\.count)
                        #expect(summary.counts == counts, "\(filter)")
                    }
                }
            }
            // Entities' summaries differ from each other (and from no filter) where their objects do.
            let ml = try await store.objects.summary(ObjectFilter(entity: "ml"))
            let mlOps = try await store.objects.summary(ObjectFilter(entity: "ml-ops"))
            #expect(ml.total == 8 && mlOps.total == 4 && ml.fingerprint != mlOps.fingerprint)
        }
    }
}
