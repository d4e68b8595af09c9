import Declarations
import Foundation
import Planning
import WandbAPI
import WandbModel

extension Doctor {
    /// The canary queue's template variable description and link, checked after the read-back.
    static let canaryDescription = "launchq doctor canary: safe to delete"
    static let canaryLink = ExternalLink(label: "launchq doctor", url: "https://example.com/launchq-doctor")

    /// The declaration of a throwaway queue named `name` in `entity`: a described template variable and a link,
    /// the parts of a queue whose storage only a real server can confirm.
    static func canaryDeclaration(entity: String, name: String) -> String {
        """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: \(entity)
        name: \(name)
        resource_type: local-container
        resource_config:
          env:
            - "LAUNCHQ_DOCTOR={{note}}"
        template_variables:
          note:
            description: "\(canaryDescription)"
            schema: {type: string, default: canary}
        external_links:
          "\(canaryLink.label)": \(canaryLink.url)

        """
    }

    /// Creates a throwaway queue in `entity` through the reconcile pipeline, reads it back, checks that a plan of it
    /// shows no change, and deletes it (also when a step in between failed). One row per step.
    func runCanary(in entity: String) async -> [DoctorReport.Check] {
        let name = "launchq-doctor-canary-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var checks: [DoctorReport.Check] = []
        func row(_ step: String, _ status: DoctorReport.Status, _ detail: String) {
            checks.append(.init(check: "canary", subject: "\(step) \(entity)/\(name)", status: status, detail: detail))
        }

        var load = LoadResult()
        DeclarationLoader().load(contents: Array(Self.canaryDeclaration(entity: entity, name: name).utf8), file: "canary.yaml", into: &load)
        let report = Validator().validate(load)
        guard report.isValid(strict: false) else {
            row("declare", .failed, "the canary declaration is invalid: \(report.diagnostics.map(\.description).joined(separator: "; "))")
            return checks
        }
        let declarations = report.declarations
        let reconciliation = Reconciliation(
            observer: Observer(client: client), planner: Planner(), executor: Executor(client: client, logger: logger), logger: logger)

        // Create.
        do {
            let (plan, observed) = try await reconciliation.plan(declarations)
            // The queue, and the entity's `model-registry` project when it has none yet (every queue lives there).
            let writes = plan.steps.filter { $0.action.changesWandb }
            let queueCreates = writes.filter { $0.subject == .runQueue && $0.action == .create }
            let others = writes.filter { !($0.subject == .runQueue && $0.action == .create) }
            let onlyLaunchProject = others.allSatisfy {
                $0.subject == .project && $0.action == .create && $0.identity == "\(entity)/\(Operations.launchProject)"
            }
            guard !plan.hasRefusals, queueCreates.count == 1, onlyLaunchProject else {
                row("create", .failed, "unexpected plan, nothing written:\n\(plan.text)")
                return checks
            }
            let rounds = try await reconciliation.run(declarations, first: plan, observed: observed)
            if let failure = rounds.last?.report.outcomes.values.compactMap({ outcome -> String? in
                if case .failed(let reason) = outcome.status { return reason }
                return nil
            }).first {
                row("create", .failed, failure)
            } else {
                row("create", .ok, "created through launchq's apply")
            }
        } catch {
            row("create", .failed, Self.describe(error))
        }

        // Read back, plan again, delete.
        do {
            let queues = try await client.runQueues(inEntities: [entity])[entity] ?? []
            guard let queue = queues.first(where: { $0.name == name }) else {
                row("read", .failed, "the queue is not there after its create")
                return checks
            }
            let variable = queue.templateVariables["note"]
            if variable?.description == Self.canaryDescription, queue.externalLinks == [Self.canaryLink] {
                row("read", .ok, "read back with its template variable's description and its link")
            } else {
                row("read", .failed,
                    "read back without what was written: description \(variable?.description.map { "\"\($0)\"" } ?? "none"), "
                        + "links \(queue.externalLinks.map { "\($0.label)=\($0.url)" })")
            }
            do {
                let (again, _) = try await reconciliation.plan(declarations)
                if again.hasChanges || again.hasRefusals {
                    row("plan", .failed, "a plan right after the create is not empty: launchq would write forever:\n\(again.text)")
                } else {
                    row("plan", .ok, "a plan right after the create shows no change")
                }
            } catch {
                row("plan", .failed, Self.describe(error))
            }
            try await client.deleteRunQueues(ids: [queue.id])
            let left = try await client.runQueues(inEntities: [entity])[entity] ?? []
            if left.contains(where: { $0.name == name }) {
                row("delete", .failed, "the queue is still there after its deletion: delete it by hand")
            } else {
                row("delete", .ok, "deleted; nothing left behind")
            }
        } catch {
            row("delete", .failed, "\(Self.describe(error)); check for a queue named \(name) and delete it by hand")
        }
        return checks
    }
}
