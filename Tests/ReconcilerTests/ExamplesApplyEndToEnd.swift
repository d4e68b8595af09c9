import Declarations
import Foundation
import JSON
import Planning
import Reconciler
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// `examples/` applied to an empty sandbox through the library (Observer, Planner, Executor, Reconciliation over
/// real HTTP), then read back by the official SDK; and the plan after it is free.
@Suite("Apply examples/ end to end", .serialized)
struct ExamplesApplyEndToEnd {
    @Test(
        "the SDK reads every queue back exactly as declared", .enabled(if: WandbSDKVenv.shouldRun, WandbSDKVenv.skipReason), .timeLimit(.minutes(5)))
    func sdkReadsQueuesAsDeclared() async throws {
        let declarations = try Fixtures.examples()
        let queues = Fixtures.queues(declarations)
        try #require(queues.count == 5)
        try await EndToEnd.with { sandbox in
            let rounds = try await sandbox.apply(declarations, sandbox.reconciliation())
            let first = try #require(rounds.first)
            // 3 users, 1 team, 2 members, 2 projects (llm-pretrain and the implied model-registry), 5 queues.
            #expect(first.plan.count(.create) == 13, "\(first.plan.text)")
            #expect(rounds.count == 1 && first.report.failed == 0 && first.report.skipped == 0 && first.report.succeeded == 13)

            let read = try await sandbox.sdkQueues(queues.map { ($0.entity, $0.name) })
            for queue in queues {
                let identity = "\(queue.entity)/\(queue.name)"
                guard let found = read[identity], let found else {
                    Issue.record("the SDK does not find \(identity)")
                    continue
                }
                #expect(found.type == queue.resourceType.rawValue, "\(identity) type")
                #expect(found.prioritization_mode == queue.prioritizationMode.rawValue, "\(identity) prioritization mode")
                #expect(found.access == "PROJECT", "\(identity) access")

                // The SDK's config is wrapped: {"resource_args": {"<type>": <declared config>}}.
                let wrapper = try #require(found.default_resource_config.object, "\(identity) config is not an object")
                #expect(Array(wrapper.keys) == ["resource_args"], "\(identity) wrapper \(wrapper.keys)")
                let byType = try #require(wrapper["resource_args"]?.object, "\(identity) resource_args")
                #expect(Array(byType.keys) == [queue.resourceType.rawValue], "\(identity) resource_args keys")
                #expect(byType[queue.resourceType.rawValue]?.canonical == queue.resourceConfig.canonical, "\(identity) config")

                // Template variables: a list of {name, schema: "<JSON text>"}, schemas equal to the declared ones.
                #expect(Set(found.template_variables.map(\.name)) == Set(queue.templateVariables.keys), "\(identity) variable names")
                #expect(found.template_variables.count == queue.templateVariables.count, "\(identity) variables repeated")
                for variable in found.template_variables {
                    let schema = try JSONDecoder().decode(JSONValue.self, from: Data(variable.schema.utf8))
                    #expect(schema.canonical == queue.templateVariables[variable.name]?.schema.canonical, "\(identity) schema of \(variable.name)")
                }

                // External links: {"links": [{label, url}]} with exactly the declared ones.
                let links = found.external_links?["links"].map { value -> [String: String] in
                    guard case .array(let items) = value else { return ["(not a list)": "\(value)"] }
                    var links: [String: String] = [:]
                    for item in items { links[item["label"]?.string ?? "?"] = item["url"]?.string ?? "?" }
                    return links
                } ?? [:]
                #expect(links == queue.externalLinks, "\(identity) external links: \(String(describing: found.external_links))")
            }

            // Descriptions are not in the SDK's read; the client's batched read has them.
            let observed = try await sandbox.client.runQueues(inEntities: ["ml-platform"])["ml-platform"] ?? []
            for queue in queues {
                let read = observed.first { $0.name == queue.name }
                for (name, variable) in queue.templateVariables {
                    #expect(read?.templateVariables[name]?.description == variable.description, "\(queue.name).\(name)")
                }
            }
        }
    }

    @Test("a second plan has no changes, sends no mutation and reads in 2 requests", .timeLimit(.minutes(3)))
    func secondPlanIsFree() async throws {
        let declarations = try Fixtures.examples()
        try await EndToEnd.with { sandbox in
            try await sandbox.apply(declarations, sandbox.reconciliation())
            await sandbox.server.resetCounters()
            let (plan, _) = try await sandbox.reconciliation().plan(declarations)
            #expect(!plan.hasChanges && plan.steps.isEmpty, "\(plan.text)")
            #expect(plan.text.contains("No changes."))
            let counters = await sandbox.server.counters()
            #expect(counters.mutations == 0, "\(counters.requestsByOperation)")
            // 5 queues, 1 entity: one batched entity read (queues, members, projects) and one batched user lookup.
            #expect(counters["ReadEntities"] == 1, "\(counters.requestsByOperation)")
            #expect(counters.total == 2, "\(counters.requestsByOperation)")
        }
    }

    @Test("a no-op plan of 300 queues in 6 teams costs at most one request per 50 queues", .timeLimit(.minutes(5)))
    func readsScaleWithBatches() async throws {
        let declarations = try Fixtures.generated(prefix: "scale", teams: 6, queuesEach: 50)
        #expect(Fixtures.queues(declarations).count == 300)
        try await EndToEnd.with { sandbox in
            let rounds = try await sandbox.apply(declarations, sandbox.reconciliation())
            #expect(rounds.last?.report.failed == 0)
            await sandbox.server.resetCounters()
            let (plan, _) = try await sandbox.reconciliation().plan(declarations)
            #expect(!plan.hasChanges && plan.steps.isEmpty, "\(plan.text)")
            let counters = await sandbox.server.counters()
            #expect(counters.mutations == 0)
            // 300 queues: the budget is 6 requests; it takes 2 (ReadEntities for 6 entities, SearchUsersBatch for 12 users).
            #expect(counters.total <= 300 / 50, "\(counters.requestsByOperation)")
            #expect(counters.total == 2, "\(counters.requestsByOperation)")
        }
    }
}
