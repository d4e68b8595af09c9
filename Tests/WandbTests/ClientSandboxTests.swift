import JSON
import Logging
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// The client against the real sandbox over HTTP: reads, writes, batching, auth, faults.
@Suite("Client against the sandbox", .serialized)
struct ClientSandboxTests {
    @Test("the viewer is the admin; a wrong key is unauthorized and never shown")
    func authentication() async throws {
        try await TestSandbox.with { sandbox in
            let viewer = try await sandbox.client().viewer()
            #expect(!viewer.id.isEmpty)

            let wrongKey = TestSandbox.randomKey()
            let client = try sandbox.client(key: wrongKey)
            let error = await #expect(throws: WandbAPIError.self) { try await client.viewer() }
            #expect(error?.code == .unauthorized)
            #expect(error?.attempts == 1, "401 must not be retried")
            for text in [String(describing: error), String(reflecting: error), String(describing: client.configuration)] {
                #expect(!text.contains(wrongKey))
                #expect(!text.contains(sandbox.adminKey))
            }
            let readError = await #expect(throws: WandbAPIError.self) { try await client.runQueues(inEntities: ["x"]) }
            #expect(readError?.code == .unauthorized)
        }
    }

    @Test("an upserted queue reads back with its config, template variables, links and mode")
    func upsertAndRead() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            let team = try await client.createTeam(name: "ml-team")
            #expect(team.name == "ml-team")
            let queue = RunQueueDefinition(
                entity: "ml-team", name: "gpu", resourceType: "kubernetes",
                config: ["metadata": ["name": "{{job}}"], "spec": ["parallelism": 2, "ratio": 0.5]],
                templateVariables: [
                    "job": TemplateVariableDefinition(description: "job name", schema: ["type": "string", "default": "x"]),
                    "gpus": TemplateVariableDefinition(schema: ["type": "integer", "minimum": 1, "maximum": 8]),
                ],
                prioritizationMode: .v0,
                externalLinks: [ExternalLink(label: "runbook", url: "https://example.com/runbook")]
            )
            let result = try await client.upsertRunQueue(queue)
            #expect(result.configSchemaValidationErrors.isEmpty)

            let read = try await client.runQueues(inEntities: ["ml-team"])
            let observed = try #require(read["ml-team"]?.first)
            #expect(read["ml-team"]?.count == 1)
            #expect(observed.name == "gpu")
            #expect(observed.entity == "ml-team")
            #expect(observed.resourceType == "kubernetes")
            #expect(observed.config == queue.config)
            #expect(observed.wrappedConfig == RunQueueConfig.wrap(queue.config, resourceType: "kubernetes"))
            #expect(observed.prioritizationMode == .v0)
            #expect(observed.externalLinks == queue.externalLinks)
            #expect(Set(observed.templateVariables.keys) == ["job", "gpus"])
            #expect(observed.templateVariables["job"]?.description == "job name")
            #expect(observed.templateVariables["job"]?.schema == ["type": "string", "default": "x"])
            #expect(observed.templateVariables["gpus"]?.schema == ["type": "integer", "minimum": 1, "maximum": 8])
            #expect(observed.templateVariables["gpus"]?.description == nil)
            #expect(observed.defaultResourceConfigID != nil)

            // Upsert again with a change: same queue id, new config.
            var changed = queue
            changed.config = ["metadata": ["name": "other"]]
            changed.templateVariables = [:]
            _ = try await client.upsertRunQueue(changed)
            let reread = try #require(try await client.runQueues(inEntities: ["ml-team"])["ml-team"])
            #expect(reread.count == 1)
            #expect(reread.first?.id == observed.id)
            #expect(reread.first?.config == ["metadata": ["name": "other"]])
            #expect(reread.first?.templateVariables.isEmpty == true)

            // An undeclared placeholder comes back as a validation warning, not an error.
            var undeclared = changed
            undeclared.config = ["metadata": ["name": "{{nope}}"]]
            let warned = try await client.upsertRunQueue(undeclared)
            #expect(!warned.configSchemaValidationErrors.isEmpty)

            try await client.deleteRunQueues(ids: [observed.id])
            #expect(try await client.runQueues(inEntities: ["ml-team"])["ml-team"] == [])
        }
    }

    @Test("the create path: createDefaultResourceConfig + createRunQueue; queue writes send no introspection")
    func createPath() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "legacy")
            let queue = RunQueueDefinition(
                entity: "legacy", name: "cpu", resourceType: "local-container", config: ["cpus": 2],
                templateVariables: ["image": TemplateVariableDefinition(schema: ["type": "string"])])
            try await client.ensureLaunchProject(entity: "legacy")
            let configID = try await client.createDefaultResourceConfig(for: queue)
            let queueID = try await client.createRunQueue(queue, defaultResourceConfigID: configID)
            let observed = try #require(try await client.runQueues(inEntities: ["legacy"])["legacy"]?.first)
            #expect(queueID == nil || queueID == observed.id)
            #expect(observed.defaultResourceConfigID == configID)
            #expect(observed.config == ["cpus": 2])
            #expect(observed.access == .project)
            #expect(observed.prioritizationMode == .disabled)
            #expect(observed.templateVariables["image"]?.schema == ["type": "string"])

            // Updates go through upsertRunQueue (updateDefaultResourceConfig is gone: no real client sends it).
            var updated = queue
            updated.config = ["cpus": 4]
            await sandbox.server.resetCounters()
            let written = try await client.putRunQueue(updated, existing: observed)
            guard case .upserted = written else { Issue.record("expected an upsert, got \(written)"); return }
            #expect(try await client.runQueues(inEntities: ["legacy"])["legacy"]?.first?.config == ["cpus": 4])
            let writeCounters = await sandbox.server.counters()
            #expect(writeCounters["UpsertRunQueue"] == 1, "\(writeCounters.requestsByOperation)")
            #expect(writeCounters["ProbeServerCapabilities"] == 0)
            #expect(writeCounters.introspectionRequests == 0)

            // A second createRunQueue of the same name is refused by the server.
            let duplicate = await #expect(throws: WandbAPIError.self) {
                try await client.createRunQueue(queue, defaultResourceConfigID: configID)
            }
            #expect(duplicate?.code == .graphQL)
            #expect(duplicate?.graphQLMessages.isEmpty == false)

        }
    }

    @Test("members, invites, users and projects round-trip")
    func teamsUsersProjects() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "research")
            let alice = try await client.createUser(email: "alice@example.com")
            #expect(alice.email == "alice@example.com")
            let aliceName = try #require(alice.username)
            try await client.createInvite(entity: "research", usernameOrEmail: aliceName, admin: true)
            try await client.createInvite(entity: "research", usernameOrEmail: "bob@example.com")

            let members = try #require(try await client.members(ofEntities: ["research"])["research"])
            let aliceMember = try #require(members.first { $0.username == aliceName })
            #expect(aliceMember.admin)
            #expect(!aliceMember.pending)
            let bob = try #require(members.first { $0.email == "bob@example.com" })
            #expect(bob.pending)

            let bobID = try #require(bob.id)
            try await client.deleteInvite(entity: "research", id: bobID)
            let after = try #require(try await client.members(ofEntities: ["research"])["research"])
            #expect(!after.contains { $0.email == "bob@example.com" })
            #expect(after.contains { $0.username == aliceName })

            let found = try await client.users(matching: ["alice@example.com", aliceName, "nobody@example.com"])
            #expect(found["alice@example.com"]?.id == alice.id)
            #expect(found[aliceName]?.id == alice.id)
            #expect(found["nobody@example.com"] == nil)
            #expect(try await client.searchUsers("alice").contains { $0.id == alice.id })

            for name in ["p1", "p2", "p3", "p4", "p5"] {
                try await client.upsertProject(name: name, entity: "research", description: "project \(name)")
            }
            try await client.upsertProject(name: "p1", entity: "research")  // idempotent
            let projects = try #require(try await client.projects(inEntities: ["research"])["research"])
            #expect(projects.map(\.name) == ["p1", "p2", "p3", "p4", "p5"])
            #expect(projects.first?.description == "project p1")

            // Small pages: the first page comes with the batch, the rest one request each.
            let paged = try sandbox.client { $0.projectsPageSize = 2 }
            let entity = try #require(try await paged.readEntities(["research", "nobody-here"], including: .all)["research"])
            #expect(entity.projects.map(\.name) == ["p1", "p2", "p3", "p4", "p5"])
            #expect(entity.exists && entity.isTeam == true)
            #expect(paged.stats.snapshot.requestsByOperation == ["ReadEntities": 1, "ReadEntityProjects": 2])
            let unknown = try #require(try await paged.readEntities(["nobody-here"])["nobody-here"])
            #expect(!unknown.exists)
            #expect(unknown.runQueues.isEmpty && unknown.members.isEmpty && unknown.projects.isEmpty)
        }
    }

    @Test("reading N queues in E entities costs ceil(E / batch) requests", arguments: [(7, 3), (10, 25), (5, 1)])
    func batchedReadCost(entities: Int, batchSize: Int) async throws {
        try await TestSandbox.with { sandbox in
            let writer = try sandbox.client()
            let names = (0..<entities).map { "team-\($0)" }
            for (index, name) in names.enumerated() {
                _ = try await writer.createTeam(name: name)
                for queue in 0..<(index % 3 + 1) {
                    _ = try await writer.upsertRunQueue(
                        RunQueueDefinition(entity: name, name: "q\(queue)", resourceType: "local-process"))
                }
            }
            let expectedQueues = names.indices.reduce(0) { $0 + $1 % 3 + 1 }

            let reader = try sandbox.client { $0.batchSize = batchSize }
            await sandbox.server.resetCounters()
            let queues = try await reader.runQueues(inEntities: names + ["team-0"])
            let expectedRequests = (entities + batchSize - 1) / batchSize
            #expect(queues.values.reduce(0) { $0 + $1.count } == expectedQueues)
            #expect(queues["team-2"]?.map(\.name) == ["q0", "q1", "q2"])
            #expect(reader.stats.snapshot.requests == expectedRequests)
            let counters = await sandbox.server.counters()
            #expect(counters.total == expectedRequests)
            #expect(counters.requestsByOperation["ReadEntities"] == expectedRequests)
            #expect(counters.mutations == 0)
        }
    }

    @Test("with 30% injected 5xx and 429 a read still succeeds within its deadline")
    func readsSurviveFaults() async throws {
        try await TestSandbox.with { sandbox in
            let writer = try sandbox.client()
            _ = try await writer.createTeam(name: "flaky")
            _ = try await writer.upsertRunQueue(RunQueueDefinition(entity: "flaky", name: "q", resourceType: "local-process"))

            for spec in ["500:0.3", "503:0.3", "429:0.3", "500:0.15,429:0.15@retry-after=0.01", "drop:0.3"] {
                await sandbox.server.setFaults(try FaultPlan.parse(spec))
                await sandbox.server.resetCounters()
                let reader = try sandbox.client { $0.deadline = .seconds(10) }
                for _ in 0..<20 {
                    let queues = try await reader.runQueues(inEntities: ["flaky"])
                    #expect(queues["flaky"]?.map(\.name) == ["q"])
                }
                let stats = reader.stats.snapshot
                #expect(stats.operations == 20)
                #expect(stats.failures == 0)
                #expect(stats.retries > 0, "\(spec): 30% faults over 20 reads should have caused a retry")
                let counters = await sandbox.server.counters()
                #expect(counters.total == stats.requests)
            }
            await sandbox.server.setFaults(.none)
        }
    }

    @Test("a non-idempotent write is not retried on 5xx; an idempotent one is")
    func writesUnderFaults() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "base")
            try await client.ensureLaunchProject(entity: "base")
            await sandbox.server.setFaults(try FaultPlan.parse("500:1.0"))
            await sandbox.server.resetCounters()

            let teamError = await #expect(throws: WandbAPIError.self) { try await client.createTeam(name: "never") }
            #expect(teamError?.code == .http)
            #expect(teamError?.httpStatus == 500)
            #expect(teamError?.outcomeUnknown == true)
            let queue = RunQueueDefinition(entity: "base", name: "q", resourceType: "local-process")
            let queueError = await #expect(throws: WandbAPIError.self) {
                try await client.createRunQueue(queue, defaultResourceConfigID: "x")
            }
            #expect(queueError?.attempts == 1)
            var counters = await sandbox.server.counters()
            #expect(counters.requestsByOperation["CreateTeam"] == 1)
            #expect(counters.requestsByOperation["CreateRunQueue"] == 1)
            #expect(counters.mutations == 2, "each non-idempotent mutation arrived exactly once")

            await sandbox.server.resetCounters()
            let upsertError = await #expect(throws: WandbAPIError.self) { try await client.upsertRunQueue(queue) }
            #expect(upsertError?.code == .http)
            counters = await sandbox.server.counters()
            #expect(counters.requestsByOperation["UpsertRunQueue"] == TestSandbox.fastRetry.maximumAttempts)

            await sandbox.server.setFaults(.none)
            #expect(try await client.runQueues(inEntities: ["base", "never"]).values.allSatisfy(\.isEmpty))
            #expect(try await client.readEntities(["never"], including: .members)["never"]?.exists == false)
        }
    }

    @Test("a server that keeps failing ends in deadlineExceeded; no server ends in transport")
    func deadlineAndTransport() async throws {
        try await TestSandbox.with { sandbox in
            await sandbox.server.setFaults(try FaultPlan.parse("503:1.0"))
            let client = try sandbox.client {
                $0.deadline = .milliseconds(300)
                $0.retry = RetryPolicy(maximumAttempts: 1000, initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(50))
            }
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: WandbAPIError.self) { try await client.runQueues(inEntities: ["a"]) }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.httpStatus == 503)
            #expect(clock.now - started < .seconds(5))
        }
        // The sandbox is stopped now: nothing listens on its port.
        let closed = try await TestSandbox.with { sandbox in sandbox.server.baseURL }
        var configuration = try WandbClient.Configuration(baseURL: closed, apiKey: WandbAPIKey(TestSandbox.randomKey()))
        configuration.retry = RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(5))
        // AsyncHTTPClient keeps retrying a refused connection until the attempt's deadline.
        configuration.requestTimeout = .milliseconds(300)
        let client = WandbClient(configuration: configuration, logger: Logger(label: "launchq.client-test"))
        let error = await #expect(throws: WandbAPIError.self) { try await client.viewer() }
        #expect(error?.code == .transport)
        #expect(error?.attempts == 3)
        #expect(client.stats.snapshot.requests == 3)
    }

    @Test("a lost answer to a non-idempotent write is reported as outcome unknown, not repeated")
    func lostAnswer() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            await sandbox.server.setFaults(try FaultPlan.parse("500:1.0@after;op=CreateTeam drop:1.0;op=CreateUserFromAdmin"))
            await sandbox.server.resetCounters()
            let error = await #expect(throws: WandbAPIError.self) { try await client.createTeam(name: "applied") }
            #expect(error?.outcomeUnknown == true)
            let userError = await #expect(throws: WandbAPIError.self) { try await client.createUser(email: "x@example.com") }
            #expect(userError?.code == .transport)
            #expect(userError?.outcomeUnknown == true)
            let counters = await sandbox.server.counters()
            #expect(counters["CreateTeam"] == 1)
            #expect(counters["CreateUserFromAdmin"] == 1)
            // The team was created although the answer was lost: a blind retry would have failed or duplicated.
            #expect(try await client.readEntities(["applied"], including: .members)["applied"]?.exists == true)
        }
    }

    @Test("an answer over the size limit is a decoding error, not retried")
    func oversizedAnswer() async throws {
        try await TestSandbox.with { sandbox in
            var configuration = try WandbClient.Configuration(baseURL: sandbox.server.baseURL, apiKey: WandbAPIKey(sandbox.adminKey))
            configuration.retry = TestSandbox.fastRetry
            let client = WandbClient(
                configuration: configuration, transport: HTTPGraphQLTransport(maximumResponseBytes: 64),
                logger: Logger(label: "launchq.client-test"))
            let error = await #expect(throws: WandbAPIError.self) { try await client.viewer() }
            #expect(error?.code == .decoding)
            #expect(error?.operation == "Viewer")
            #expect(error?.attempts == 1)
            #expect(await sandbox.server.counters().total == 1)
        }
    }

    @Test("a refusal after a lost answer is still reported as outcome unknown")
    func refusalAfterLostAnswer() async throws {
        try await TestSandbox.with { sandbox in
            let client = try sandbox.client()
            _ = try await client.createTeam(name: "gone")
            _ = try await client.upsertRunQueue(RunQueueDefinition(entity: "gone", name: "q", resourceType: "local-process"))
            let id = try #require(try await client.runQueues(inEntities: ["gone"])["gone"]?.first?.id)
            // Seed 3 draws 0.11 then 0.70: the first delete is applied and its answer lost, the retry is answered.
            await sandbox.server.setFaults(try FaultPlan.parse("500:0.5@after;op=DeleteRunQueues seed=3"))
            await sandbox.server.resetCounters()
            let error = await #expect(throws: WandbAPIError.self) { try await client.deleteRunQueues(ids: [id]) }
            #expect(error?.code == .graphQL, "the retry finds the queue already deleted")
            #expect(error?.attempts == 2)
            #expect(error?.outcomeUnknown == true)
            #expect(await sandbox.server.counters()["DeleteRunQueues"] == 2)
            #expect(try await client.runQueues(inEntities: ["gone"])["gone"] == [])
        }
    }

    @Test("Retry-After is honoured, and a wait past the deadline fails at once")
    func retryAfterHonoured() async throws {
        try await TestSandbox.with { sandbox in
            await sandbox.server.setFaults(try FaultPlan.parse("429:1.0@retry-after=0.2"))
            let client = try sandbox.client { $0.retry = RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(1)) }
            let clock = ContinuousClock()
            var started = clock.now
            let error = await #expect(throws: WandbAPIError.self) { try await client.runQueues(inEntities: ["a"]) }
            #expect(error?.code == .http)
            #expect(error?.httpStatus == 429)
            #expect(error?.attempts == 3)
            #expect(clock.now - started >= .milliseconds(400), "two waits of Retry-After: 0.2")

            await sandbox.server.setFaults(try FaultPlan.parse("429:1.0@retry-after=30"))
            await sandbox.server.resetCounters()
            let impatient = try sandbox.client { $0.deadline = .seconds(2) }
            started = clock.now
            let late = await #expect(throws: WandbAPIError.self) { try await impatient.runQueues(inEntities: ["a"]) }
            #expect(late?.code == .deadlineExceeded)
            #expect(clock.now - started < .seconds(2))
            #expect(await sandbox.server.counters().total == 1)
        }
    }
}
