import Foundation
import JSON
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// The client where the real W&B server differs from the sandbox's first guesses (issue 11,
/// `shared/wandb/real-server-register.md`): no introspection, older servers without `upsertRunQueue`,
/// permission refusals, and read batches that adapt to a slow server. Sandbox over real HTTP.
@Suite("Client against a real-like W&B server", .serialized)
struct RealServerClientTests {
    /// Every document the client can send, with batches at every size a read may use.
    static var everyDocument: [GraphQLOperation] {
        var operations = Operations.all
        for count in 1...25 {
            operations.append(Operations.readEntities(count: count, parts: .all))
            operations.append(Operations.searchUsersBatch(count: count))
        }
        return operations
    }

    @Test("no document launchq sends introspects, or names the types only an old schema shows")
    func noIntrospection() {
        for operation in Self.everyDocument {
            #expect(!operation.document.contains("__type"), "\(operation.name) introspects")
            #expect(!operation.document.contains("__schema"), "\(operation.name) introspects")
            #expect(!operation.document.contains("on RunQueue"), "\(operation.name) names RunQueue in a fragment")
            #expect(!operation.document.contains("on ProjectConnection"), "\(operation.name) names ProjectConnection")
        }
        #expect(!Operations.all.contains { $0.name == "ProbeServerCapabilities" || $0.name == "UpdateDefaultResourceConfig" })
    }

    @Test("a member's role comes from role; the deprecated admin flag only when no role is sent")
    func memberRoles() {
        func member(admin: Bool, role: String?) -> ObservedTeamMember {
            ObservedTeamMember(id: "m", username: "u", email: nil, name: "U", admin: admin, pending: false, accountType: nil, role: role)
        }
        #expect(member(admin: false, role: "admin").isAdmin)
        #expect(member(admin: false, role: "ADMIN").isAdmin)
        #expect(!member(admin: true, role: "member").isAdmin)
        #expect(!member(admin: true, role: "viewer").isAdmin)
        #expect(member(admin: true, role: nil).isAdmin)
        #expect(!member(admin: false, role: "").isAdmin)
    }

    @Test("with introspection off, queue writes and reads work and send no introspection")
    func introspectionOff() async throws {
        try await TestSandbox.with(faults: try FaultPlan.parse("introspection=off")) { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "quiet")
            let queue = RunQueueDefinition(
                entity: "quiet", name: "cpu", resourceType: "local-process", config: ["x": 1],
                externalLinks: [ExternalLink(label: "docs", url: "https://example.com")])
            guard case .upserted = try await client.putRunQueue(queue, existing: nil) else {
                Issue.record("expected an upsert")
                return
            }
            let read = try #require(try await client.runQueues(inEntities: ["quiet"])["quiet"]?.first)
            #expect(read.externalLinks == queue.externalLinks)
            let counters = await sandbox.server.counters()
            #expect(counters.introspectionRequests == 0, "\(counters.requestsByOperation)")
            #expect(counters["UpsertRunQueue"] == 1)
        }
    }

    @Test("a server without upsertRunQueue: new queues through createRunQueue, updates refused naming 0.63.0")
    func serverWithoutUpsert() async throws {
        try await TestSandbox.with({ $0.removedMutations = ["upsertRunQueue"] }) { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "old")
            let queue = RunQueueDefinition(
                entity: "old", name: "cpu", resourceType: "local-container", config: ["cpus": 2],
                templateVariables: ["image": TemplateVariableDefinition(schema: ["type": "string"])], prioritizationMode: .v0)

            // The server's own answer, as graphql-go gives it.
            let refused = await #expect(throws: WandbAPIError.self) { try await client.upsertRunQueue(queue) }
            #expect(refused?.isMissingField("upsertRunQueue") == true)
            #expect(refused?.graphQLMessages.contains { $0.contains(#"Cannot query field "upsertRunQueue" on type "Mutation""#) } == true)

            await sandbox.server.resetCounters()
            let fresh = try sandbox.client()
            guard case .created(_, let configID) = try await fresh.putRunQueue(queue, existing: nil) else {
                Issue.record("expected the create path")
                return
            }
            let observed = try #require(try await fresh.runQueues(inEntities: ["old"])["old"]?.first)
            #expect(observed.defaultResourceConfigID == configID)
            #expect(observed.config == ["cpus": 2])
            #expect(observed.prioritizationMode == .v0)
            #expect(observed.templateVariables["image"]?.schema == ["type": "string"])

            var changed = queue
            changed.config = ["cpus": 4]
            let update = await #expect(throws: WandbAPIError.self) { try await fresh.putRunQueue(changed, existing: observed) }
            #expect(update?.code == .unsupported)
            #expect(update?.message.contains("0.63.0") == true, "\(String(describing: update))")
            #expect(update?.message.contains("old/cpu") == true)

            // Links cannot be stored by createRunQueue: refused before anything is created.
            var linked = queue
            linked.name = "linked"
            linked.externalLinks = [ExternalLink(label: "docs", url: "https://example.com")]
            let links = await #expect(throws: WandbAPIError.self) { try await fresh.putRunQueue(linked, existing: nil) }
            #expect(links?.code == .unsupported)
            #expect(links?.message.contains("external links") == true && links?.message.contains("0.63.0") == true)

            let counters = await sandbox.server.counters()
            #expect(counters["UpsertRunQueue"] == 1, "asked once, then remembered: \(counters.requestsByOperation)")
            #expect(counters["CreateDefaultResourceConfig"] == 1 && counters["CreateRunQueue"] == 1)
            #expect(counters.introspectionRequests == 0)
            #expect(try await fresh.runQueues(inEntities: ["old"])["old"]?.first?.config == ["cpus": 2], "nothing was changed")
        }
    }

    @Test("an HTTP 403 or a GraphQL permission error is a permission error naming the operation and the role")
    func permissionErrors() async throws {
        try await TestSandbox.with { sandbox in
            let admin = try sandbox.client()
            _ = try await admin.createTeam(name: "lab")
            let bob = try await admin.createUser(email: "bob@example.com")
            let bobKey = try await sandbox.server.createAPIKey(username: try #require(bob.username))
            let asBob = try sandbox.client(key: bobKey)

            await sandbox.server.setFaults(try FaultPlan.parse("403:1;op=CreateTeam"))
            let forbidden = await #expect(throws: WandbAPIError.self) { try await admin.createTeam(name: "new") }
            #expect(forbidden?.code == .permissionDenied)
            #expect(forbidden?.httpStatus == 403)
            #expect(forbidden?.attempts == 1, "a 403 is not retried")
            #expect(forbidden?.message.contains("CreateTeam needs an instance (organization) admin") == true, "\(String(describing: forbidden))")
            #expect(forbidden?.message.contains("refused the API key") == false)
            await sandbox.server.setFaults(.none)

            // The sandbox refuses as W&B words it: HTTP 200 with a permission error.
            let invite = await #expect(throws: WandbAPIError.self) {
                try await asBob.createInvite(entity: "lab", usernameOrEmail: "admin")
            }
            #expect(invite?.code == .permissionDenied)
            #expect(invite?.message.contains("CreateInvite needs an admin of the team") == true, "\(String(describing: invite))")
            let search = await #expect(throws: WandbAPIError.self) { try await asBob.users(matching: ["admin", "bob"]) }
            #expect(search?.code == .permissionDenied)
            #expect(search?.message.contains("users(query:) is admin-only") == true, "\(String(describing: search))")
            #expect(search?.message.contains(bobKey) == false)

            // The key's user and its admin flag (the SDK's GetViewer).
            #expect(try await asBob.currentUser().admin == false)
            #expect(try await admin.currentUser().admin == true)
        }
    }

    @Test("batches that time out are halved down to what the server answers, and everything is read", .timeLimit(.minutes(3)))
    func halvingUnderTimeouts() async throws {
        try await TestSandbox.with { sandbox in
            let admin = try sandbox.client()
            let teams = (0..<12).map { "slow-\($0)" }
            for team in teams {
                _ = try await admin.createTeam(name: team)
                _ = try await admin.upsertRunQueue(
                    RunQueueDefinition(entity: team, name: "q", resourceType: "local-process", config: ["team": .string(team)]))
            }
            // Batches of more than 2 entities (3 root fields each) answer after 6 s; the client waits 2 s.
            await sandbox.server.setFaults(try FaultPlan.parse("latency:6s;op=ReadEntities;fields>6"))
            await sandbox.server.resetCounters()
            let client = try sandbox.client {
                $0.batchSize = 12
                $0.requestTimeout = .seconds(2)
                $0.maximumConcurrentRequests = 1
            }
            let read = try await client.readEntities(teams + ["never-made"], including: .all)
            #expect(read.count == 13)
            for team in teams {
                #expect(read[team]?.exists == true, "\(team)")
                #expect(read[team]?.runQueues.map(\.config) == [["team": .string(team)]], "\(team)")
            }
            #expect(read["never-made"]?.exists == false)
            // 12 → 6 → 3 → 2 at least (the 13th entity is a batch of its own); then the client keeps batches of 2.
            #expect(client.stats.snapshot.batchSplits >= 3, "\(client.stats.snapshot)")
            let again = client.stats.snapshot.batchSplits
            _ = try await client.readEntities(teams, including: .runQueues)
            #expect(client.stats.snapshot.batchSplits == again, "the smaller size is remembered")
        }
    }
}
