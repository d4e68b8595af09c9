import Foundation
import Testing
import TestSupport
import WandbSandbox

/// The sandbox rules that follow the real server's evidence (issue 11): who creates teams, introspection switched
/// off, and variables refused before any resolver runs.
@Suite("Sandbox follows the evidence")
struct SandboxEvidenceTests {
    @Test("createTeam: instance admins only, the caller is not added, teamAdminUserName becomes the first member")
    func createTeamIsAdminOnly() async throws {
        try await TestSandbox.with { sandbox in
            _ = try await sandbox.graphql(#"mutation { createUser(input: {email: "nia@example.com"}) { user { id } } }"#)
            let nia = try await sandbox.server.createAPIKey(username: "nia")

            let refused = try await sandbox.graphql(#"mutation { createTeam(input: {teamName: "by-nia"}) { entity { id } } }"#, key: nia)
            #expect(refused.errorMessages.first?.contains("only instance admins can create teams") == true, "\(refused.text)")
            let absent = try await sandbox.graphql(#"{ entity(name: "by-nia") { id } }"#)
            #expect(jsonPath(absent.data, "entity") is NSNull, "\(absent.text)")

            _ = try await sandbox.graphql(#"mutation { createTeam(input: {teamName: "empty"}) { entity { id } } }"#)
            let empty = try await sandbox.graphql(#"{ entity(name: "empty") { isTeam members { username } } }"#)
            #expect(jsonPath(empty.data, "entity", "isTeam") as? Bool == true)
            #expect((jsonPath(empty.data, "entity", "members") as? [Any])?.isEmpty == true, "the creator is not a member: \(empty.text)")

            _ = try await sandbox.graphql(#"mutation { createTeam(input: {teamName: "led", teamAdminUserName: "nia"}) { entity { id } } }"#)
            let led = try await sandbox.graphql(#"{ entity(name: "led") { members { username admin } } }"#)
            #expect(jsonPath(led.data, "entity", "members", 0, "username") as? String == "nia")
            #expect(jsonPath(led.data, "entity", "members", 0, "admin") as? Bool == true)
            #expect((jsonPath(led.data, "entity", "members") as? [Any])?.count == 1, "\(led.text)")
        }
    }

    @Test("introspection=off: __type and __schema answer no data with HTTP 200 and no error; counted either way")
    func introspectionOff() async throws {
        try await TestSandbox.with(faults: try FaultPlan.parse("introspection=off")) { sandbox in
            let probe = try await sandbox.graphql(
                #"query Probe { MutationType: __type(name: "Mutation") { fields { name } } viewer { username } }"#, operationName: "Probe")
            #expect(probe.status == 200)
            #expect(probe.errorMessages.isEmpty, "\(probe.text)")
            #expect(probe.data?["MutationType"] == nil, "no schema data: \(probe.text)")
            #expect(jsonPath(probe.data, "viewer", "username") as? String == "admin", "the other fields still answer")

            let schema = try await sandbox.graphql("query S { ...Meta } fragment Meta on Query { __schema { queryType { name } } }")
            #expect(schema.status == 200 && schema.errorMessages.isEmpty, "\(schema.text)")
            #expect(schema.data?.isEmpty == true, "\(schema.text)")
            #expect(await sandbox.server.counters().introspectionRequests == 2)

            await sandbox.server.setFaults(.none)
            let on = try await sandbox.graphql(#"{ __type(name: "Mutation") { name } }"#)
            #expect(jsonPath(on.data, "__type", "name") as? String == "Mutation", "\(on.text)")
            #expect(await sandbox.server.counters().introspectionRequests == 3)
        }
        #expect(try FaultPlan.parse("introspection=off").description == "introspection=off seed=0")
        #expect(try FaultPlan.parse("introspection=on").isEmpty)
        #expect(throws: SandboxError.self) { _ = try FaultPlan.parse("introspection=maybe") }
    }

    @Test("ill-typed variables are refused before any resolver runs: no mutation counted, nothing saved")
    func variablesAreCoercedBeforeResolvers() async throws {
        let folder = try Repository.temporaryFolder("sandbox-coercion")
        defer { try? FileManager.default.removeItem(at: folder) }
        let statePath = folder.appendingPathComponent("state.json").path
        try await TestSandbox.with({ $0.statePath = statePath }) { sandbox in
            let before = try Data(contentsOf: URL(fileURLWithPath: statePath))
            let createTeam = "mutation CreateTeam($teamName: String!, $teamAdminUserName: String) "
                + "{ result: createTeam(input: {teamName: $teamName, teamAdminUserName: $teamAdminUserName}) { entity { id } } }"
            let nullName = try await sandbox.graphql(createTeam, variables: ["teamName": NSNull()], operationName: "CreateTeam")
            #expect(nullName.status == 200 && nullName.data == nil, "\(nullName.text)")
            #expect(nullName.errorMessages.first?.hasPrefix(#"Variable "$teamName""#) == true, "\(nullName.text)")
            let objectAdmin = try await sandbox.graphql(
                createTeam, variables: ["teamName": "t", "teamAdminUserName": ["x": 1]], operationName: "CreateTeam")
            #expect(objectAdmin.errorMessages.first?.hasPrefix(#"Variable "$teamAdminUserName""#) == true, "\(objectAdmin.text)")
            let unknownField = try await sandbox.graphql("mutation M { noSuchMutation { id } }", operationName: "M")
            #expect(unknownField.errorMessages.first?.contains("Cannot query field") == true, "\(unknownField.text)")

            var counters = await sandbox.server.counters()
            #expect(counters.mutations == 0 && counters.rejectedMutations == 3, "\(counters)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: statePath)) == before, "nothing was saved")

            // A well-typed one runs: counted as a mutation.
            let ran = try await sandbox.graphql(createTeam, variables: ["teamName": "t"], operationName: "CreateTeam")
            #expect(ran.errorMessages.isEmpty, "\(ran.text)")
            counters = await sandbox.server.counters()
            #expect(counters.mutations == 1 && counters.rejectedMutations == 3, "\(counters)")
        }
    }
}
