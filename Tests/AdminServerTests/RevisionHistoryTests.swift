import AdminServer
import Declarations
import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Store
import Testing
import TestSupport

/// `GET /v1/revisions/{n}/diff` and `POST /v1/revisions/{n}/restore` against a real PostgreSQL and the sandbox.
@Suite(.enabled(if: TestDatabase.shouldRun, TestDatabase.skipReason), .serialized)
struct RevisionHistoryTests {
    /// Revision 2 adds a user, drops the project and changes a queue's env.
    static func second(prefix: String) -> [(String, String)] {
        var files = Bundles.small(prefix: prefix)
        files[0].1 = files[0].1.components(separatedBy: "\n---\n").prefix(2).joined(separator: "\n---\n")
        files[2].1 = files[2].1.replacingOccurrences(of: "A=1", with: "A=2")
        files.append(("extra.yaml", "apiVersion: launchq/v1\nkind: User\nemail: \(prefix)-extra@example.com\n"))
        return files
    }

    @Test func diffAndRestoreRoundTrip() async throws {
        try await AdminHarness.with { harness in
            try await harness.application.test(.router) { client in
                let (admin, viewer) = (harness.adminToken, harness.viewerToken)
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "0"]),
                    body: AdminHarness.bundle(Bundles.small(prefix: "hist"))) { #expect($0.status == .created) }
                try await client.execute(
                    uri: "/v1/revisions", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "1"]),
                    body: AdminHarness.bundle(Self.second(prefix: "hist"))) { #expect($0.status == .created) }

                // 2 against 1 (the default).
                try await client.execute(uri: "/v1/revisions/2/diff", method: .get, headers: AdminHarness.headers(viewer)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    let diff = try AdminHarness.json(response.body)
                    #expect(diff["against"] == .integer(1))
                    #expect(diff["empty"] == .bool(false))
                    #expect(diff["added"] == .array([.object(["kind": "User", "id": "hist-extra@example.com"])]))
                    #expect(diff["removed"] == .array([.object(["kind": "Project", "id": "hist/experiments"])]))
                    let changed = diff["changed"]?.array ?? []
                    #expect(changed.count == 1, "\(diff)")
                    #expect(changed.first?["id"] == .string("hist/local"))
                    let fields = changed.first?["fields"]?.array?.compactMap(\.string) ?? []
                    #expect(fields.count == 1 && fields.allSatisfy { $0.hasSuffix("/env/0") }, "\(fields)")
                    #expect(diff["unchanged"] == .integer(3))
                }
                // 1 against 2 is the mirror image; revision 1 by default diffs against nothing.
                try await client.execute(uri: "/v1/revisions/1/diff?against=2", method: .get, headers: AdminHarness.headers(viewer)) { (response: TestResponse) async throws in
                    let diff = try AdminHarness.json(response.body)
                    #expect(diff["added"]?.array?.first?["kind"] == .string("Project"))
                    #expect(diff["removed"]?.array?.first?["kind"] == .string("User"))
                }
                try await client.execute(uri: "/v1/revisions/1/diff", method: .get, headers: AdminHarness.headers(viewer)) { (response: TestResponse) async throws in
                    let diff = try AdminHarness.json(response.body)
                    #expect(diff["against"] == .null)
                    #expect(diff["added"]?.array?.count == 5)
                }
                try await client.execute(uri: "/v1/revisions/2/diff?against=9", method: .get, headers: AdminHarness.headers(viewer)) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/v1/revisions/2/diff?against=x", method: .get, headers: AdminHarness.headers(viewer)) { #expect($0.status == .badRequest) }

                // Restore: admin only, If-Match as for pushes.
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(viewer, [.ifMatch: "2"])) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(admin)) {
                    #expect($0.status == .preconditionRequired)
                }
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "1"])) {
                    #expect($0.status == .preconditionFailed)
                }
                try await client.execute(uri: "/v1/revisions/9/restore", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "2"])) {
                    #expect($0.status == .notFound)
                }
                #expect(try await harness.store.count("revisions") == 2)
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "2"])) { (response: TestResponse) async throws in
                    #expect(response.status == .created)
                    #expect(response.headers[.eTag] == "\"3\"")
                    let answer = try AdminHarness.json(response.body)
                    #expect(answer["number"] == .integer(3))
                    #expect(answer["restoredFrom"] == .integer(1))
                    #expect(answer["source"]?["kind"] == .string("api"))
                    #expect(answer["source"]?["location"]?.string?.contains("restored from revision 1") == true)
                    #expect(answer["source"]?["author"] == .string("token:ci"))
                }
                let first = try #require(try await harness.store.revisions.desiredState(at: 1))
                let restored = try #require(try await harness.store.revisions.desiredState(at: 3))
                #expect(restored.revision.contentHash == first.revision.contentHash)
                #expect(try await harness.store.revisions.current()?.number == 3)
                try await client.execute(uri: "/v1/revisions/3/diff?against=1", method: .get, headers: AdminHarness.headers(viewer)) { (response: TestResponse) async throws in
                    let diff = try AdminHarness.json(response.body)
                    #expect(diff["empty"] == .bool(true))
                    #expect(diff["added"] == .array([]) && diff["removed"] == .array([]) && diff["changed"] == .array([]))
                    #expect(diff["unchanged"] == .integer(5))
                }
                // Restoring what is already current stores nothing.
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(admin, [.ifMatch: "*"])) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["created"] == .bool(false))
                }
                #expect(try await harness.store.count("revisions") == 3)
                let events = try await harness.store.events.page(limit: 50, before: nil, object: nil).events
                #expect(events.filter { $0.draft.action == "revision.restore" }.count == 1)
            }
        }
    }

    @Test func aSourceOwnsTheDesiredStateSoRestoreIs409ButPlanPreviewWorks() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lq-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AdminHarness.with(source: DirectorySource(path: directory.path)) { harness in
            try await Bundles.publish(Bundles.small(prefix: "owned"), to: harness.store, source: RevisionSource(kind: "directory", location: directory.path))
            try await harness.application.test(.router) { client in
                try await client.execute(uri: "/v1/revisions/1/restore", method: .post, headers: AdminHarness.headers(harness.adminToken, [.ifMatch: "*"])) { (response: TestResponse) async throws in
                    #expect(response.status == .conflict)
                    #expect(try AdminHarness.json(response.body)["error"]?["code"] == .string("source_managed"))
                }
                // Objects nothing applies (the scheduler may have applied revision 1's by now): the preview has changes.
                try await client.execute(
                    uri: "/v1/plan", method: .post, headers: AdminHarness.headers(harness.viewerToken),
                    body: AdminHarness.bundle(Bundles.small(prefix: "preview"))
                ) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                    #expect(try AdminHarness.json(response.body)["hasChanges"] == .bool(true))
                }
            }
            #expect(try await harness.store.count("revisions") == 1)
        }
    }
}
