import Foundation
import Testing
import TestSupport
import WandbSandbox

/// What the sandbox does with the state, seen through GraphQL: queues, configs, template variables, teams,
/// permissions and the batched reads a reconciler makes.
@Suite("Sandbox semantics")
struct SandboxSemanticsTests {
    static let upsertRunQueue = """
        mutation UpsertRunQueue($entityName: String!, $projectName: String!, $queueName: String!, $resourceType: String!, \
        $resourceConfig: JSONString!, $templateVariables: JSONString, $prioritizationMode: RunQueuePrioritizationMode, \
        $externalLinks: JSONString) {
            upsertRunQueue(input: {entityName: $entityName, projectName: $projectName, queueName: $queueName, \
        resourceType: $resourceType, resourceConfig: $resourceConfig, templateVariables: $templateVariables, \
        prioritizationMode: $prioritizationMode, externalLinks: $externalLinks}) { success configSchemaValidationErrors }
        }
        """
    static let createProject = """
        mutation CreateProject($input: UpsertModelInput!) { result: upsertModel(input: $input) { project { id name } inserted } }
        """
    static let readQueues = """
        query ReadQueues($entity: String!) {
            project(name: "model-registry", entityName: $entity) {
                runQueues { id name access prioritizationMode externalLinks createdBy defaultResourceConfigID
                    defaultResourceConfig { id resource config templateVariables { name description schema } } }
            }
        }
        """

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func createTeam(_ sandbox: TestSandbox, _ name: String) async throws {
        // The caller is not added to a team it creates (wandb/docs#2863): name the admin as the team's admin.
        let answer = try await sandbox.graphql("mutation { createTeam(input: {teamName: \"\(name)\", teamAdminUserName: \"admin\"}) { entity { id } } }")
        #expect(answer.errorMessages.isEmpty, "\(answer.text)")
        let project = try await sandbox.graphql(Self.createProject, variables: ["input": ["entityName": name, "name": "model-registry"]])
        #expect(jsonPath(project.data, "result", "inserted") as? Bool == true)
    }

    func upsert(_ sandbox: TestSandbox, entity: String, queue: String, type: String, config: Any,
                templateVariables: Any? = nil, mode: String? = nil, links: Any? = nil, key: String? = nil) async throws -> TestSandbox.Answer {
        var variables: [String: Any] = [
            "entityName": entity, "projectName": "model-registry", "queueName": queue, "resourceType": type,
            "resourceConfig": Self.json(["resource_args": [type: config]]),
            "templateVariables": templateVariables.map { $0 as? String ?? Self.json($0) } ?? NSNull(), "prioritizationMode": mode ?? NSNull(),
            "externalLinks": links.map(Self.json) ?? NSNull(),
        ]
        variables["clientMutationId"] = nil
        return try await sandbox.graphql(Self.upsertRunQueue, variables: variables, operationName: "UpsertRunQueue", key: key)
    }

    @Test("upsertRunQueue stores the wrapped config as sent, returns template variables as a list with JSON-string schemas")
    func upsertAndRead() async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            let answer = try await upsert(
                sandbox, entity: "ml", queue: "gpu", type: "kubernetes",
                config: ["spec": ["replicas": 12345678901234, "image": "{{image}}", "ratio": 0.5, "extra": "{{undeclared}}"]],
                // A JSON text, so the order of the variables is the one written here.
                templateVariables: #"{"image": {"description": "image", "schema": {"type": "string", "enum": ["a", "b"]}}, "gpus": {"schema": {"type": "integer", "minimum": 0}}}"#,
                mode: "V0", links: ["links": [["label": "docs", "url": "https://example.com"]]])
            #expect(jsonPath(answer.data, "upsertRunQueue", "success") as? Bool == true)
            #expect(jsonPath(answer.data, "upsertRunQueue", "configSchemaValidationErrors") as? [String]
                == [#"template variable "undeclared" is used in the config but not declared"#])

            let read = try await sandbox.graphql(Self.readQueues, variables: ["entity": "ml"])
            let queue = try #require(jsonPath(read.data, "project", "runQueues", 0) as? [String: Any])
            #expect(queue["name"] as? String == "gpu")
            #expect(queue["access"] as? String == "PROJECT")
            #expect(queue["prioritizationMode"] as? String == "V0")
            #expect(queue["createdBy"] is Int)
            #expect(Self.json(queue["externalLinks"]!) == Self.json(["links": [["label": "docs", "url": "https://example.com"]]]))
            let config = try #require(queue["defaultResourceConfig"] as? [String: Any])
            #expect(config["id"] as? String == queue["defaultResourceConfigID"] as? String)
            #expect(config["resource"] as? String == "kubernetes")
            #expect(jsonPath(config["config"], "resource_args", "kubernetes", "spec", "replicas") as? Int == 12345678901234)
            #expect(jsonPath(config["config"], "resource_args", "kubernetes", "spec", "ratio") as? Double == 0.5)
            let variables = try #require(config["templateVariables"] as? [[String: Any]])
            #expect(variables.map { $0["name"] as? String } == ["image", "gpus"])
            #expect(variables[0]["description"] as? String == "image")
            #expect(variables[1]["description"] is NSNull)
            #expect(variables[0]["schema"] as? String == #"{"type":"string","enum":["a","b"]}"#)
        }
    }

    @Test("a second upsert replaces the whole queue but keeps its id and config id; V0 cannot go back to DISABLED")
    func upsertReplaces() async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            _ = try await upsert(sandbox, entity: "ml", queue: "q", type: "local-container", config: ["image": "x"],
                                 templateVariables: ["a": ["schema": ["type": "string"]]], links: ["links": [["label": "l", "url": "u"]]])
            let first = try await sandbox.graphql(Self.readQueues, variables: ["entity": "ml"])
            let replaced = try await upsert(sandbox, entity: "ml", queue: "q", type: "kubernetes", config: [:], mode: "V0")
            #expect(replaced.errorMessages.isEmpty)
            let second = try await sandbox.graphql(Self.readQueues, variables: ["entity": "ml"])
            let before = try #require(jsonPath(first.data, "project", "runQueues", 0) as? [String: Any])
            let after = try #require(jsonPath(second.data, "project", "runQueues", 0) as? [String: Any])
            #expect(after["id"] as? String == before["id"] as? String)
            #expect(after["defaultResourceConfigID"] as? String == before["defaultResourceConfigID"] as? String)
            #expect(after["prioritizationMode"] as? String == "V0")
            #expect(after["externalLinks"] is NSNull)
            #expect(jsonPath(after, "defaultResourceConfig", "resource") as? String == "kubernetes")
            #expect(Self.json(jsonPath(after, "defaultResourceConfig", "config")!) == #"{"resource_args":{"kubernetes":{}}}"#)
            #expect((jsonPath(after, "defaultResourceConfig", "templateVariables") as? [Any])?.isEmpty == true)

            let disable = try await upsert(sandbox, entity: "ml", queue: "q", type: "kubernetes", config: [:], mode: "DISABLED")
            #expect(disable.status == 200)
            #expect(disable.errorMessages.first?.contains("cannot be disabled") == true)
            #expect(jsonPath(disable.data, "upsertRunQueue") is NSNull)
        }
    }

    @Test("refusals are GraphQL errors with HTTP 200 and change nothing", arguments: [
        ("missing entity", "nope", "model-registry", "kubernetes", #"{"resource_args":{}}"#, #"entity "nope" not found"#),
        ("missing project", "ml", "other", "kubernetes", #"{"resource_args":{}}"#, #"project "other" not found in entity "ml""#),
        ("bad resource", "ml", "model-registry", "docker", #"{"resource_args":{}}"#, #"invalid resource type "docker""#),
        ("bad JSON", "ml", "model-registry", "kubernetes", #"{"resource_args":"#, "resourceConfig is not valid JSON"),
        ("not an object", "ml", "model-registry", "kubernetes", "[1]", "resourceConfig must be a JSON object"),
    ])
    func refusals(label: String, entity: String, project: String, type: String, config: String, message: String) async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            let answer = try await sandbox.graphql(Self.upsertRunQueue, variables: [
                "entityName": entity, "projectName": project, "queueName": "q", "resourceType": type, "resourceConfig": config,
            ])
            #expect(answer.status == 200, "\(label)")
            #expect(answer.errorMessages.count == 1 && answer.errorMessages[0].contains(message), "\(label): \(answer.text)")
            #expect((jsonPath(answer.json, "errors", 0, "path") as? [String]) == ["upsertRunQueue"])
            let read = try await sandbox.graphql(Self.readQueues, variables: ["entity": "ml"])
            #expect((jsonPath(read.data, "project", "runQueues") as? [Any])?.isEmpty == true, "\(label) stored something")
        }
    }

    @Test("template variables must be a map of name to {schema: object}")
    func badTemplateVariables() async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            for (variables, message) in [
                ([["name": "a"]] as Any, "templateVariables must be a JSON object"),
                (["a": ["type": "string"]] as Any, "templateVariables.a.schema must be a JSON object"),
                (["a b": ["schema": [:]]] as Any, #"invalid variable name "a b""#),
            ] {
                let answer = try await upsert(sandbox, entity: "ml", queue: "q", type: "kubernetes", config: [:], templateVariables: variables)
                #expect(answer.errorMessages.first?.contains(message) == true, "\(answer.text)")
            }
            let jsonStringAsObject = try await sandbox.graphql(Self.upsertRunQueue, variables: [
                "entityName": "ml", "projectName": "model-registry", "queueName": "q", "resourceType": "kubernetes",
                "resourceConfig": ["resource_args": [:]],
            ])
            #expect(jsonStringAsObject.errorMessages.first?.contains(#"Expected type "JSONString""#) == true, "\(jsonStringAsObject.text)")
        }
    }

    @Test("createRunQueue needs its project and a free name; deleteRunQueues removes; the config stays readable")
    func createAndDelete() async throws {
        try await TestSandbox.with { sandbox in
            _ = try await sandbox.graphql("mutation { createTeam(input: {teamName: \"ml\"}) { entity { id } } }")
            let config = try await sandbox.graphql("""
                mutation { createDefaultResourceConfig(input: {entityName: "ml", resource: "kubernetes", \
                config: "{\\"resource_args\\":{\\"kubernetes\\":{}}}", templateVariables: "{}"}) { defaultResourceConfigID success } }
                """)
            let configID = try #require(jsonPath(config.data, "createDefaultResourceConfig", "defaultResourceConfigID") as? String)
            let create = """
                mutation CreateRunQueue($id: ID) { createRunQueue(input: {entityName: "ml", projectName: "model-registry", \
                queueName: "q1", access: PROJECT, prioritizationMode: V0, defaultResourceConfigID: $id}) { success queueID } }
                """
            let noProject = try await sandbox.graphql(create, variables: ["id": configID])
            #expect(noProject.errorMessages == [#"project "model-registry" not found in entity "ml""#])
            _ = try await sandbox.graphql(Self.createProject, variables: ["input": ["entityName": "ml", "name": "model-registry"]])
            let created = try await sandbox.graphql(create, variables: ["id": configID])
            let queueID = try #require(jsonPath(created.data, "createRunQueue", "queueID") as? String)
            let duplicate = try await sandbox.graphql(create, variables: ["id": configID])
            #expect(duplicate.errorMessages == [#"run queue "q1" already exists in ml/model-registry"#])

            let delete = "mutation DeleteRunQueue($id: ID!) { deleteRunQueues(input: {queueIDs: [$id]}) { success } }"
            let deleted = try await sandbox.graphql(delete, variables: ["id": queueID])
            #expect(jsonPath(deleted.data, "deleteRunQueues", "success") as? Bool == true)
            let again = try await sandbox.graphql(delete, variables: ["id": queueID])
            #expect(again.errorMessages.first?.contains("not found") == true)
            let read = try await sandbox.graphql(
                "query Q($id: ID!) { entity(name: \"ml\") { defaultResourceConfig(id: $id) { resource } } project(name: \"model-registry\", entityName: \"ml\") { runQueue(name: \"q1\") { id } } }",
                variables: ["id": configID])
            #expect(jsonPath(read.data, "entity", "defaultResourceConfig", "resource") as? String == "kubernetes")
            #expect(jsonPath(read.data, "project", "runQueue") is NSNull)
        }
    }

    @Test("a non-admin member may create projects but not queues, users or user searches")
    func permissions() async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            _ = try await sandbox.graphql(#"mutation { createUser(input: {email: "eve@example.com"}) { user { id } } }"#)
            _ = try await sandbox.graphql(#"mutation { createInvite(input: {entityName: "ml", username: "eve"}) { invite { id } } }"#)
            let eve = try await sandbox.server.createAPIKey(username: "eve")

            let project = try await sandbox.graphql(Self.createProject, variables: ["input": ["entityName": "ml", "name": "p"]], key: eve)
            #expect(project.errorMessages.isEmpty, "\(project.text)")
            let queue = try await upsert(sandbox, entity: "ml", queue: "q", type: "kubernetes", config: [:], key: eve)
            #expect(queue.errorMessages == [#"permission denied: user "eve" must be an admin of entity "ml" to create run queues"#])
            let users = try await sandbox.graphql("{ users(query: \"\") { edges { node { id } } } }", key: eve)
            #expect(users.errorMessages.first?.contains("only instance admins") == true)
            let createUser = try await sandbox.graphql(#"mutation { createUser(input: {email: "x@example.com"}) { user { id } } }"#, key: eve)
            #expect(createUser.errorMessages.first?.contains("only instance admins") == true)
            let foreign = try await sandbox.graphql(Self.createProject, variables: ["input": ["entityName": "admin", "name": "p"]], key: eve)
            #expect(foreign.errorMessages.first?.contains(#"is not a member of entity "admin""#) == true)
            // A user sees their own API keys.
            let hidden = try await sandbox.graphql(#"{ entity(name: "ml") { members { username } } viewer { apiKeys { edges { node { name } } } } }"#, key: eve)
            #expect((jsonPath(hidden.data, "viewer", "apiKeys", "edges") as? [Any])?.count == 1)
        }
    }

    @Test("one request reads many entities through aliases: queues with configs, members, projects, users")
    func batchedRead() async throws {
        try await TestSandbox.with { sandbox in
            for team in ["t1", "t2", "t3"] {
                try await createTeam(sandbox, team)
                for queue in ["a", "b"] {
                    _ = try await upsert(sandbox, entity: team, queue: "\(team)-\(queue)", type: "local-process", config: [:])
                }
            }
            await sandbox.server.resetCounters()
            let answer = try await sandbox.graphql("""
                query ReadEntities {
                    e0: entity(name: "t1") { ...Team }  q0: project(name: "model-registry", entityName: "t1") { ...Queues }
                    e1: entity(name: "t2") { ...Team }  q1: project(name: "model-registry", entityName: "t2") { ...Queues }
                    e2: entity(name: "t3") { ...Team }  q2: project(name: "model-registry", entityName: "t3") { ...Queues }
                    missing: entity(name: "t9") { ...Team }
                    m0: models(entityName: "t1", first: 10) { edges { node { __typename name } } pageInfo { hasNextPage endCursor } }
                    users(query: "") { edges { node { username teams { edges { node { name } } } } } }
                }
                fragment Team on Entity { __typename name isTeam members { id username admin pending } }
                fragment Queues on Project { runQueues { name defaultResourceConfig { resource config } } }
                """)
            #expect(answer.errorMessages.isEmpty, "\(answer.text)")
            for index in 0..<3 {
                let team = "t\(index + 1)"
                #expect(jsonPath(answer.data, "e\(index)", "name") as? String == team)
                #expect(jsonPath(answer.data, "e\(index)", "__typename") as? String == "Entity")
                let queues = (jsonPath(answer.data, "q\(index)", "runQueues") as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(queues == ["\(team)-a", "\(team)-b"])
            }
            #expect(jsonPath(answer.data, "missing") is NSNull)
            #expect(jsonPath(answer.data, "m0", "edges", 0, "node", "__typename") as? String == "Project")
            #expect(jsonPath(answer.data, "users", "edges", 0, "node", "username") as? String == "admin")
            #expect((jsonPath(answer.data, "users", "edges", 0, "node", "teams", "edges") as? [Any])?.count == 3)
            #expect(await sandbox.server.counters().total == 1)
        }
    }

    @Test("pushToRunQueue fills the queue's template: whole-value numbers stay numbers, defaults apply, schemas are enforced")
    func templateFilling() async throws {
        try await TestSandbox.with { sandbox in
            try await createTeam(sandbox, "ml")
            _ = try await upsert(
                sandbox, entity: "ml", queue: "gpu", type: "kubernetes",
                config: ["spec": ["gpus": "{{gpus}}", "name": "job-{{ gpus }}", "image": "{{image}}", "{{gpus}}": "keys stay"]],
                templateVariables: ["gpus": ["schema": ["type": "integer", "default": 1, "minimum": 1, "maximum": 8]],
                                    "image": ["schema": ["type": "string", "enum": ["a", "b"]]]],
                mode: "V0")
            let read = try await sandbox.graphql(Self.readQueues, variables: ["entity": "ml"])
            let queueID = try #require(jsonPath(read.data, "project", "runQueues", 0, "id") as? String)
            let push = """
                mutation Push($id: ID!, $values: JSONString, $priority: Int) {
                    pushToRunQueue(input: {queueID: $id, runSpec: "{\\"job\\": \\"j:v1\\"}", templateVariableValues: $values, priority: $priority}) { runQueueItemId runSpec }
                }
                """
            let pushed = try await sandbox.graphql(push, variables: ["id": queueID, "values": #"{"image": "b"}"#, "priority": 1])
            #expect(pushed.errorMessages.isEmpty, "\(pushed.text)")
            let spec = jsonPath(pushed.data, "pushToRunQueue", "runSpec")
            #expect(jsonPath(spec, "job") as? String == "j:v1")
            #expect(jsonPath(spec, "resource") as? String == "kubernetes")
            let filled = jsonPath(spec, "resource_args", "kubernetes", "spec")
            #expect(jsonPath(filled, "gpus") as? Int == 1)
            #expect(jsonPath(filled, "name") as? String == "job-1")
            #expect(jsonPath(filled, "image") as? String == "b")
            #expect(jsonPath(filled, "{{gpus}}") as? String == "keys stay")

            let four = try await sandbox.graphql(push, variables: ["id": queueID, "values": #"{"image": "a", "gpus": 4}"#])
            #expect(jsonPath(four.data, "pushToRunQueue", "runSpec", "resource_args", "kubernetes", "spec", "gpus") as? Int == 4)

            for (values, message) in [
                (#"{"image": "a", "gpus": 9}"#, "must be at most 8"),
                (#"{"image": "c"}"#, #"must be one of ["a","b"]"#),
                (#"{"image": "a", "gpus": "two"}"#, "must be an integer"),
                (#"{"gpus": 2}"#, #""image" has no value and no default"#),
                (#"{"image": "a", "cpus": 2}"#, #""cpus" is not declared"#),
            ] {
                let refused = try await sandbox.graphql(push, variables: ["id": queueID, "values": values])
                #expect(refused.errorMessages.first?.contains(message) == true, "\(values): \(refused.text)")
            }
            let items = try await sandbox.graphql(
                #"{ project(name: "model-registry", entityName: "ml") { runQueue(name: "gpu") { runQueueItems { edges { node { id state } } } } } }"#)
            #expect((jsonPath(items.data, "project", "runQueue", "runQueueItems", "edges") as? [Any])?.count == 2)
        }
    }

    @Test("invites: existing users join at once, unknown addresses wait and join when the user is created")
    func invites() async throws {
        try await TestSandbox.with { sandbox in
            _ = try await sandbox.graphql("mutation { createTeam(input: {teamName: \"ml\", teamAdminUserName: \"admin\"}) { entity { id } } }")
            let invite = "mutation Invite($email: String) { createInvite(input: {entityName: \"ml\", email: $email, admin: true}) { invite { id email } } }"
            _ = try await sandbox.graphql(invite, variables: ["email": "zoe@example.com"])
            let duplicate = try await sandbox.graphql(invite, variables: ["email": "zoe@example.com"])
            #expect(duplicate.errorMessages.first?.contains("already exists") == true)
            let members = #"{ entity(name: "ml") { members { name username pending admin } } }"#
            let pending = try await sandbox.graphql(members)
            #expect(jsonPath(pending.data, "entity", "members", 1, "pending") as? Bool == true)
            _ = try await sandbox.graphql(#"mutation { createUser(input: {email: "zoe@example.com"}) { user { id } } }"#)
            let joined = try await sandbox.graphql(members)
            #expect(jsonPath(joined.data, "entity", "members", 1, "username") as? String == "zoe")
            #expect(jsonPath(joined.data, "entity", "members", 1, "pending") as? Bool == false)
            #expect(jsonPath(joined.data, "entity", "members", 1, "admin") as? Bool == true)
            let personal = try await sandbox.graphql(#"mutation { createInvite(input: {entityName: "admin", username: "zoe"}) { invite { id } } }"#)
            #expect(personal.errorMessages.first?.contains("personal entity") == true)
        }
    }
}
