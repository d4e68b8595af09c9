import AsyncHTTPClient
import Foundation
import Testing
import TestSupport
import WandbSandbox

/// Fault plans: parsing, and injection at roughly the configured rates (bounded request counts, no timing).
@Suite("Sandbox faults")
struct SandboxFaultTests {
    @Test("the documented spec parses into rules")
    func parse() throws {
        let plan = try FaultPlan.parse("500:0.1,429:0.1@retry-after=1,latency:50ms,drop:0.05;op=UpsertRunQueue | 503:0.5@after seed=7")
        #expect(plan.seed == 7)
        #expect(plan.rules.count == 2)
        #expect(plan.rules[0].operations == ["UpsertRunQueue"])
        #expect(plan.rules[0].effects == [
            .status(500, fraction: 0.1), .status(429, fraction: 0.1, retryAfter: 1), .latency(milliseconds: 50), .drop(fraction: 0.05),
        ])
        #expect(plan.rules[1].operations == nil)
        #expect(plan.rules[1].effects == [.status(503, fraction: 0.5, afterExecution: true)])
        #expect(try FaultPlan.parse("latency:1.5s").rules[0].effects == [.latency(milliseconds: 1500)])
        #expect(try FaultPlan.parse("502:1;op=A,B").rules[0].operations == ["A", "B"])
        #expect(try FaultPlan.parse("").isEmpty)
        #expect(try FaultPlan.parse("none").isEmpty)
        // The description parses back to the same plan.
        #expect(try FaultPlan.parse(plan.description) == plan)
    }

    @Test("bad specs are refused with the part that is wrong", arguments: [
        ("500", "expected kind:value"), ("500:2", "between 0 and 1"), ("200:0.1", "unknown fault"),
        ("teapot:0.1", "unknown fault"), ("latency:fast", "latency must be"), ("drop:0.1@after", "drop takes no options"),
        ("500:0.1@retry-after=x", "retry-after must be"), ("500:0.1;when=now", "expected op="), ("seed=-1", "seed must be"),
        ("500:0.1@sometimes", "unknown option"),
    ])
    func badSpecs(spec: String, message: String) {
        #expect {
            _ = try FaultPlan.parse(spec)
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.code == .invalidFaultSpec && error.message.contains(message) && error.message.contains("invalid fault spec")
        }
    }

    static let viewer = "query Viewer { viewer { id } }"

    @Test("500 and 429 are injected at about the configured fraction, with Retry-After, only for the named operation")
    func statusRates() async throws {
        try await TestSandbox.with({ $0.faults = try! FaultPlan.parse("500:0.2,429:0.1@retry-after=2;op=Viewer seed=42") }) { sandbox in
            var statuses: [Int: Int] = [:]
            var retryAfter: Set<String> = []
            for _ in 0..<400 {
                let answer = try await sandbox.graphql(Self.viewer)
                statuses[answer.status, default: 0] += 1
                if answer.status == 429 { retryAfter.formUnion(answer.headers["retry-after"] ?? []) }
                if answer.status == 500 { #expect(answer.errorMessages == ["sandbox injected HTTP 500 for Viewer"]) }
            }
            // Expected 80 and 40; these bounds are many standard deviations wide.
            #expect((50...115).contains(statuses[500, default: 0]), "\(statuses)")
            #expect((20...65).contains(statuses[429, default: 0]), "\(statuses)")
            #expect(statuses[200, default: 0] + statuses[500, default: 0] + statuses[429, default: 0] == 400)
            #expect(retryAfter == ["2"])

            let counters = await sandbox.server.counters()
            #expect(counters.faultsInjected["500"] == statuses[500])
            #expect(counters.faultsInjected["429"] == statuses[429])
            #expect(counters["Viewer"] == 400)

            // Other operations are untouched.
            for _ in 0..<50 {
                #expect(try await sandbox.graphql("query Other { viewer { username } }").status == 200)
            }
        }
    }

    @Test("the same seed gives the same sequence of faults")
    func reproducible() async throws {
        func run() async throws -> [Int] {
            try await TestSandbox.with({ $0.faults = try! FaultPlan.parse("502:0.5 seed=9") }) { sandbox in
                var statuses: [Int] = []
                for _ in 0..<40 { statuses.append(try await sandbox.graphql(Self.viewer).status) }
                return statuses
            }
        }
        let first = try await run()
        #expect(try await run() == first)
        #expect(Set(first) == [200, 502])
    }

    @Test("drop closes the connection without an answer, at about the configured fraction")
    func drops() async throws {
        try await TestSandbox.with({ $0.faults = try! FaultPlan.parse("drop:0.3 seed=3") }) { sandbox in
            var dropped = 0
            var answered = 0
            for _ in 0..<100 {
                do {
                    let answer = try await sandbox.graphql(Self.viewer)
                    #expect(answer.status == 200)
                    answered += 1
                } catch {
                    dropped += 1
                }
            }
            #expect((12...50).contains(dropped), "dropped \(dropped)")
            #expect(dropped + answered == 100)
            #expect(await sandbox.server.counters().faultsInjected["drop"] == dropped)
        }
    }

    @Test("@after runs the mutation, then answers the fault: the change is there although the client saw a 503")
    func afterExecution() async throws {
        try await TestSandbox.with({ $0.faults = try! FaultPlan.parse("503:1@after;op=CreateTeam") }) { sandbox in
            let answer = try await sandbox.graphql("mutation CreateTeam { createTeam(input: {teamName: \"ghost\"}) { entity { id } } }")
            #expect(answer.status == 503)
            let read = try await sandbox.graphql(#"query Read { entity(name: "ghost") { name } }"#)
            #expect(jsonPath(read.data, "entity", "name") as? String == "ghost")
        }
    }

    @Test("faults can be changed at run time, in process and over HTTP; latency only delays")
    func changeAtRunTime() async throws {
        try await TestSandbox.with { sandbox in
            #expect(try await sandbox.graphql(Self.viewer).status == 200)
            await sandbox.server.setFaults(try FaultPlan.parse("500:1"))
            #expect(try await sandbox.graphql(Self.viewer).status == 500)

            let set = try await sandbox.send(.post, "/_sandbox/faults", body: Array(#"{"spec": "latency:5ms"}"#.utf8))
            #expect(set.status == 200)
            #expect(jsonPath(set.json, "faults") as? String == "latency:5ms seed=0")
            for _ in 0..<5 { #expect(try await sandbox.graphql(Self.viewer).status == 200) }

            let bad = try await sandbox.send(.post, "/_sandbox/faults", body: Array("500:7".utf8))
            #expect(bad.status == 400)
            #expect(bad.errorMessages.first?.contains("between 0 and 1") == true)
            #expect(try await sandbox.send(.post, "/_sandbox/faults", body: Array("none".utf8)).status == 200)
            #expect(try await sandbox.graphql(Self.viewer).status == 200)
        }
    }
}
