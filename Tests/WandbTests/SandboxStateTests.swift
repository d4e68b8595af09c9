import Testing

@testable import WandbSandbox

/// The pure parts of the sandbox, without HTTP: the JSON reader/writer, template variables and filling, the
/// fault injector, and state operations.
@Suite("Sandbox state (pure)")
struct SandboxStateTests {
    @Test("JSON keeps key order and number lexemes, decodes escapes and surrogate pairs, and writes compactly")
    func json() throws {
        let text = #"{"b": 1, "a": [12345678901234567890, -0.5e3, true, null], "s": "\u00e9\ud83d\ude00\n\"/"}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectMembers?.map(\.key) == ["b", "a", "s"])
        #expect(value.compactText == #"{"b":1,"a":[12345678901234567890,-0.5e3,true,null],"s":"é😀\n\"/"}"#)
        #expect(try JSONValue(parsing: value.compactText) == value)
        // Equality ignores key order; a later duplicate key wins.
        #expect(try JSONValue(parsing: #"{"x":1,"y":2}"#) == JSONValue(parsing: #"{"y":2,"x":1}"#))
        #expect(try JSONValue(parsing: #"{"x":1,"x":2}"#).compactText == #"{"x":2}"#)
    }

    @Test("bad JSON says where", arguments: [
        ("", "empty document", 1, 1), ("{\"a\" 1}", "expected ':'", 1, 6), ("[1,]", "unexpected character", 1, 4),
        ("01", "leading zero", 1, 3), ("\"\\x\"", "invalid escape", 1, 4), ("{}\n x", "unexpected text", 2, 2),
        ("\"\\ud800\"", "unpaired surrogate", 1, 8), ("\"a\u{01}\"", "control character", 1, 3),
    ])
    func badJSON(text: String, reason: String, line: Int, column: Int) {
        #expect {
            _ = try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.reason.contains(reason) && error.line == line && error.column == column
        }
    }

    @Test("template variables: map in, list out in the order sent, schemas as compact JSON text")
    func templateVariables() throws {
        let list = try SandboxState.templateVariables(
            from: #"{"z": {"schema": {"type": "integer", "maximum": 8}}, "a": {"description": "d", "schema": {"type": "string"}}}"#)
        #expect(list == [
            TemplateVariableRecord(name: "z", description: nil, schema: #"{"type":"integer","maximum":8}"#),
            TemplateVariableRecord(name: "a", description: "d", schema: #"{"type":"string"}"#),
        ])
        #expect(try SandboxState.templateVariables(from: nil).isEmpty)
        #expect(try SandboxState.templateVariables(from: "{}").isEmpty)
        #expect(try SandboxState.templateVariables(from: "null").isEmpty)
    }

    @Test("placeholders are found and replaced in strings; whole-value numbers become numbers")
    func filling() throws {
        #expect(TemplatePlaceholders.names(in: "a {{x}} b {{ y-1 }} {{}} {{not ok}} {{z") == ["x", "y-1"])
        let variables = [
            TemplateVariableRecord(name: "n", description: nil, schema: #"{"type":"number","default":1.5}"#),
            TemplateVariableRecord(name: "s", description: nil, schema: #"{"type":"string","default":"x"}"#),
        ]
        let config = try JSONValue(parsing: #"{"a": "{{n}}", "b": "n={{n}}", "c": "{{s}}", "d": ["{{ n }}"], "{{n}}": 0}"#)
        let filled = try TemplateFilling.fill(config, variables: variables, values: try JSONValue(parsing: #"{"s": "y"}"#))
        #expect(filled.compactText == #"{"a":1.5,"b":"n=1.5","c":"y","d":[1.5],"{{n}}":0}"#)
    }

    @Test("query depth ignores braces in strings, block strings and comments")
    func queryDepth() {
        #expect(QueryDepth.maximum(in: "query { a { b(x: [1, {c: 2}]) } }") == 5)
        #expect(QueryDepth.maximum(in: #"{ a(s: "{{{{{{", t: """ {{{ \""" {{{ """) # {{{{{{"# + "\n}") == 2)
        #expect(QueryDepth.maximum(in: "") == 0)
    }

    @Test("the fault injector hits its fractions over many draws and repeats itself for a seed")
    func injector() throws {
        let plan = try FaultPlan.parse("500:0.2,drop:0.1,latency:5ms;op=A 429:0.05")
        var injector = FaultInjector(plan: plan)
        var counts: [String: Int] = [:]
        for _ in 0..<20_000 {
            let decision = injector.decide(operation: "A")
            counts[decision.label ?? "none", default: 0] += 1
            #expect(decision.latencyMilliseconds == 5)
        }
        #expect((3_600...4_400).contains(counts["500", default: 0]), "\(counts)")
        #expect((1_700...2_300).contains(counts["drop", default: 0]), "\(counts)")
        #expect((800...1_200).contains(counts["429", default: 0]), "\(counts)")
        var other = FaultInjector(plan: plan)
        #expect((0..<1_000).allSatisfy { _ in other.decide(operation: "B").label != "500" })

        var first = FaultInjector(plan: plan)
        var second = FaultInjector(plan: plan)
        #expect((0..<500).map { _ in first.decide(operation: "A") } == (0..<500).map { _ in second.decide(operation: "A") })
    }

    @Test("usernames come from the e-mail's local part, ASCII only, numbered when taken; pending invites join")
    func usernames() throws {
        var state = SandboxState()
        state.bootstrapAdmin(username: "admin", apiKey: String(repeating: "k", count: 40), now: "t")
        let admin = try #require(state.user(username: "admin"))
        let team = try state.createTeam(name: "ml", adminUsername: nil, caller: admin, now: "t")
        _ = try state.invite(team: "ml", email: "JOSE.doe+x@example.com", username: nil, admin: true, caller: admin, now: "t")
        #expect(try state.createUser(email: "José.Doe+x@example.com", admin: false, caller: admin, now: "t").username == "jos--doe-x")
        let second = try state.createUser(email: "jos--doe-x@other.org", admin: false, caller: admin, now: "t")
        #expect(second.username == "jos--doe-x2")
        #expect(state.entity(named: "jos--doe-x2")?.isTeam == false)
        #expect(throws: SandboxError.self) { _ = try state.createUser(email: "ADMIN@sandbox.local", admin: false, caller: admin, now: "t") }
        #expect(throws: SandboxError.self) { _ = try state.createUser(email: "no-at-sign", admin: false, caller: admin, now: "t") }
        // The pending invite for a differently-cased address did not match José (different address), so it is still pending.
        #expect(state.pendingInvites(entityID: team.id).count == 1)
        _ = try state.createUser(email: "jose.doe+x@example.com", admin: false, caller: admin, now: "t")
        #expect(state.pendingInvites(entityID: team.id).isEmpty)
        #expect(state.entities[team.id]?.members.last?.admin == true)
    }

    @Test("state operations refuse without changing anything, and ids never repeat")
    func operations() throws {
        var state = SandboxState()
        state.bootstrapAdmin(username: "admin", apiKey: String(repeating: "k", count: 40), now: "t")
        let admin = try #require(state.user(username: "admin"))
        _ = try state.createTeam(name: "ml", adminUsername: nil, caller: admin, now: "t")
        _ = try state.upsertProject(.init(entityName: "ml", name: "model-registry"), caller: admin, now: "t")
        let before = state.lastSerial
        #expect(throws: SandboxError.self) {
            _ = try state.upsertRunQueue(
                .init(entityName: "ml", projectName: "model-registry", queueName: "q", resourceType: "kubernetes",
                      resourceConfig: "{}", templateVariables: #"{"a": 1}"#), caller: admin, now: "t")
        }
        #expect(state.lastSerial == before && state.runQueues.isEmpty && state.resourceConfigs.isEmpty)
        let (queue, _) = try state.upsertRunQueue(
            .init(entityName: "ml", projectName: "model-registry", queueName: "q", resourceType: "kubernetes", resourceConfig: "{}"),
            caller: admin, now: "t")
        try state.deleteRunQueues(ids: [queue.id], caller: admin)
        let (again, _) = try state.upsertRunQueue(
            .init(entityName: "ml", projectName: "model-registry", queueName: "q", resourceType: "kubernetes", resourceConfig: "{}"),
            caller: admin, now: "t")
        #expect(again.id != queue.id)
    }
}
