import AdminServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport

/// `GET /v1/objects` pages (cursor, filters, counts, ETag / 304) and the status page's "Next page", against a real
/// PostgreSQL holding 1,200 objects in 12 entities.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct ObjectsPagingTests {
    static let states: [ObjectState] = [.ready, .ready, .pending, .failed, .drifted, .ready, .orphaned]

    /// 12 teams, 960 queues, 120 projects, 108 users: 1,200 objects, states in a fixed pattern.
    static func fleet() -> [ObjectStatus] {
        var keys: [ObjectKey] = []
        for entity in 0..<12 {
            let name = "e" + pad(entity, 2)
            keys.append(ObjectKey(kind: "Team", identity: name))
            keys += (0..<80).map { ObjectKey(kind: "RunQueue", identity: "\(name)/q\(pad($0, 3))") }
            keys += (0..<10).map { ObjectKey(kind: "Project", identity: "\(name)/p\(pad($0, 3))") }
            keys += (0..<9).map { ObjectKey(kind: "User", identity: "u\(pad(entity * 9 + $0, 4))@example.com") }
        }
        return keys.enumerated().map { index, key in
            ObjectStatus(
                key: key, desiredHash: "d\(index)", observedState: "{\"big\":\"\(String(repeating: "x", count: 200))\"}",
                observedHash: "o\(index)", wandbID: "w\(index)", state: states[index % states.count],
                lastError: index % 7 == 3 ? "boom \(index)" : nil, attempts: index % 3)
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// GETs `path` as the viewer; the status, the parsed body (`nil` when empty) and the `ETag`.
    static func get(
        _ client: some TestClientProtocol, _ harness: AdminHarness, _ path: String, _ extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: JSONValue?, tag: String?, bytes: Int) {
        try await client.execute(uri: path, method: .get, headers: AdminHarness.headers(harness.viewerToken, extra)) { response in
            let bytes = response.body.readableBytes
            return (response.status, bytes == 0 ? nil : try AdminHarness.json(response.body), response.headers[.eTag], bytes)
        }
    }

    static func ids(_ body: JSONValue?) -> [String] {
        (body?["objects"]?.array ?? []).map { "\($0["kind"]?.string ?? "?") \($0["id"]?.string ?? "?")" }
    }

    @Test func pagingVisitsEveryObjectOnceInOrderAndSurvivesInserts() async throws {
        try await AdminHarness.with { harness in
            let fleet = Self.fleet()
            try await harness.store.objects.record(fleet)
            // The database's own (kind, identity) order is the order pages must follow.
            let ordered = try await harness.store.objects.list().map { "\($0.key.kind) \($0.key.identity)" }
            #expect(ordered.count == 1200)
            try await harness.application.test(.router) { client in
                // Default page: 500, with a cursor, counts and total over everything.
                let first = try await Self.get(client, harness, "/v1/objects")
                #expect(first.status == .ok)
                #expect(first.body?["count"] == .integer(500))
                #expect(first.body?["total"] == .integer(1200))
                #expect(first.body?["nextCursor"]?.string != nil)
                #expect(first.tag != nil)
                #expect(Self.ids(first.body) == Array(ordered.prefix(500)))
                #expect(first.body?["objects"]?.array?.first?["observedHash"]?.string != nil)

                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let path = "/v1/objects?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await Self.get(client, harness, path)
                    #expect(page.status == .ok, "\(path)")
                    seen += Self.ids(page.body)
                    cursor = page.body?["nextCursor"]?.string
                    pages += 1
                    if pages == 6 {
                        // Mid-walk inserts: one before the cursor (never shown), one after it (shown once).
                        try await harness.store.objects.record([
                            ObjectStatus(key: ObjectKey(kind: "Project", identity: "a-before/p"), state: .pending),
                            ObjectStatus(key: ObjectKey(kind: "User", identity: "zz-after@example.com"), state: .pending),
                        ])
                    }
                } while cursor != nil && pages < 50
                #expect(pages == 13)
                #expect(seen == ordered + ["User zz-after@example.com"])
                #expect(Set(seen).count == seen.count)
            }
        }
    }

    @Test func filtersAndCountsCoverTheFilterNotThePage() async throws {
        try await AdminHarness.with { harness in
            let fleet = Self.fleet()
            try await harness.store.objects.record(fleet)
            try await harness.application.test(.router) { client in
                func expected(_ include: (ObjectStatus) -> Bool) -> (ids: Set<String>, counts: [String: Int]) {
                    let chosen = fleet.filter(include)
                    var counts: [String: Int] = Dictionary(uniqueKeysWithValues: ObjectState.allCases.map { ($0.rawValue, 0) })
                    for status in chosen { counts[status.state.rawValue, default: 0] += 1 }
                    return (Set(chosen.map { "\($0.key.kind) \($0.key.identity)" }), counts)
                }
                let cases: [(String, (ObjectStatus) -> Bool)] = [
                    ("kind=Team", { $0.key.kind == "Team" }),
                    ("state=failed", { $0.state == .failed }),
                    ("entity=e03", { ["e03"].contains($0.key.identity) && $0.key.kind == "Team" || $0.key.identity.hasPrefix("e03/") }),
                    ("kind=RunQueue&entity=e07&state=ready", { $0.key.kind == "RunQueue" && $0.key.identity.hasPrefix("e07/") && $0.state == .ready }),
                    ("kind=User&entity=e01", { _ in false }),
                ]
                for (query, include) in cases {
                    let want = expected(include)
                    let answer = try await Self.get(client, harness, "/v1/objects?limit=1000&" + query)
                    #expect(answer.status == .ok, "\(query)")
                    #expect(Set(Self.ids(answer.body)) == want.ids, "\(query)")
                    #expect(answer.body?["total"] == .integer(want.ids.count), "\(query)")
                    let counts = (answer.body?["counts"]?.object ?? [:]).mapValues { $0.int ?? -1 }
                    #expect(counts == want.counts, "\(query)")
                    // Counts describe the filter, not the page.
                    let small = try await Self.get(client, harness, "/v1/objects?limit=1&" + query)
                    #expect(small.body?["count"] == .integer(min(1, want.ids.count)), "\(query)")
                    #expect(small.body?["counts"] == answer.body?["counts"], "\(query)")
                }
                #expect(try await Self.get(client, harness, "/v1/objects?entity=e03&limit=1000").body?["total"] == .integer(91))
            }
        }
    }

    @Test func aPollerGets304UntilAListedFieldChanges() async throws {
        try await AdminHarness.with { harness in
            try await harness.store.objects.record(Self.fleet())
            try await harness.application.test(.router) { client in
                var fleet = Self.fleet()
                let path = "/v1/objects?limit=100&kind=RunQueue"
                let first = try await Self.get(client, harness, path)
                let tag = try #require(first.tag)
                let unchanged = try await Self.get(client, harness, path, [.ifNoneMatch: tag])
                #expect(unchanged.status == .notModified)
                #expect(unchanged.bytes == 0)
                #expect(unchanged.tag == tag)
                #expect(try await Self.get(client, harness, path, [.ifNoneMatch: "\"other\", \(tag)"]).status == .notModified)
                #expect(try await Self.get(client, harness, path, [.ifNoneMatch: "\"other\""]).status == .ok)

                // A team outside the filter changes: the queues' tag stays.
                let team = try #require(fleet.firstIndex { $0.key.kind == "Team" })
                fleet[team].state = .failed
                try await harness.store.objects.record(fleet[team])
                #expect(try await Self.get(client, harness, path, [.ifNoneMatch: tag]).status == .notModified)

                // Each listed field of one queue, changed in turn, gives a new tag.
                let queue = try #require(fleet.lastIndex { $0.key.kind == "RunQueue" })
                let changes: [(String, (inout ObjectStatus) -> Void)] = [
                    ("state", { $0.state = $0.state == .ready ? .drifted : .ready }), ("lastError", { $0.lastError = "new error" }),
                    ("attempts", { $0.attempts += 1 }), ("wandbId", { $0.wandbID = "w-new" }),
                    ("desiredHash", { $0.desiredHash = "d-new" }), ("observedHash", { $0.observedHash = "o-new" }),
                    ("lastReconciledAt", { $0.lastReconciledAt = Date(timeIntervalSince1970: 1_800_000_000) }),
                ]
                var tags: Set<String> = [tag]
                var current = tag
                for (field, change) in changes {
                    change(&fleet[queue])
                    try await harness.store.objects.record(fleet[queue])
                    let answer = try await Self.get(client, harness, path, [.ifNoneMatch: current])
                    #expect(answer.status == .ok, "\(field)")
                    let next = try #require(answer.tag, "\(field)")
                    #expect(!tags.contains(next), "\(field)")
                    tags.insert(next)
                    current = next
                    #expect(try await Self.get(client, harness, path, [.ifNoneMatch: current]).status == .notModified, "\(field)")
                }
                // A removed queue changes it too.
                #expect(try await harness.store.objects.remove(fleet[queue].key))
                #expect(try await Self.get(client, harness, path, [.ifNoneMatch: current]).status == .ok)
            }
        }
    }

    @Test func aWrongLimitOrCursorIs400() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let bad = [
                    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("limit=-5", "limit"),
                    ("cursor=%21%21", "cursor"), ("cursor=YWJj", "cursor"), ("cursor=", "cursor"), ("state=gone", "state"),
                ]
                for (query, parameter) in bad {
                    let answer = try await Self.get(client, harness, "/v1/objects?" + query)
                    #expect(answer.status == .badRequest, "\(query)")
                    #expect(answer.body?["error"]?["code"] == .string("bad_request"), "\(query)")
                    #expect(answer.body?["error"]?["details"]?["parameter"] == .string(parameter), "\(query)")
                }
                #expect(try await Self.get(client, harness, "/v1/objects?limit=1000").status == .ok)
            }
        }
    }

    @Test func theStatusPagePagesToo() async throws {
        try await AdminHarness.with { harness in
            try await harness.store.objects.record(Self.fleet())
            try await harness.application.test(.router) { client in
                func page(_ path: String) async throws -> String {
                    try await client.execute(uri: path, method: .get, headers: AdminHarness.headers(harness.viewerToken)) { response in
                        #expect(response.status == .ok, "\(path)")
                        return String(buffer: response.body)
                    }
                }
                let first = try await page("/")
                // Fleet-wide counts, one page of rows, a link onwards.
                #expect(first.contains("ready</span> 515</span>"))  // ready: 3 of every 7 of 1,200 objects
                #expect(first.components(separatedBy: "<td><code>").count - 1 == 500)
                let link = try #require(first.components(separatedBy: "<a href=\"?").dropFirst().first { $0.contains("cursor=") && $0.contains(">Next page<") })
                let next = String(link.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                let second = try await page("/?" + next)
                #expect(second.contains("Showing 500 of 1200 objects, continued from a previous page"))
                // Pages follow (kind, identity): projects first, so the first page ends among the queues.
                #expect(first.contains("<code>e00/p000</code>") && !first.contains("<code>e00</code>"))
                #expect(!second.contains("<code>e00/p000</code>") && second.contains("<code>e09/q000</code>"))
                let filtered = try await page("/?state=failed&limit=10")
                #expect(filtered.contains("Showing 10 of 171 objects (state failed)"))
                #expect(filtered.contains("limit=10&amp;cursor="))
            }
        }
    }
}
