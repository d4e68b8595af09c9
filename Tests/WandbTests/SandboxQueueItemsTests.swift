import Foundation
import Testing
import TestSupport
import WandbAPI
import WandbModel
import WandbSandbox

/// Run queue items in the sandbox: pushed by name as `launch_add` does, read as `RunQueue.items` does, and kept
/// when a queue holding them is deleted unless the sandbox is told to drop them.
@Suite("Sandbox: run queue items")
struct SandboxQueueItemsTests {
    /// The document `LaunchApi.push_to_run_queue_by_name` sends (wandb 0.31.0, no priority, no template values).
    static let pushByName = """
        mutation pushToRunQueueByName(
          $entityName: String!, $projectName: String!, $queueName: String!, $runSpec: JSONString!
        ) {
            pushToRunQueueByName(
                input: {
                    entityName: $entityName, projectName: $projectName, queueName: $queueName, runSpec: $runSpec
                }
            ) {
                runQueueItemId
                runSpec
            }
        }
        """

    /// Team `ml` with queue `q` (local-process) holding two items pushed by name; returns the queue's id.
    static func queueWithTwoItems(_ sandbox: TestSandbox) async throws -> String {
        for mutation in [
            #"mutation { createTeam(input: {teamName: "ml", teamAdminUserName: "admin"}) { entity { id } } }"#,
            #"mutation { upsertModel(input: {entityName: "ml", name: "model-registry"}) { project { id } } }"#,
            #"mutation { upsertRunQueue(input: {entityName: "ml", projectName: "model-registry", queueName: "q", resourceType: "local-process", resourceConfig: "{\"resource_args\":{\"local-process\":{}}}"}) { success } }"#,
        ] {
            let answer = try await sandbox.graphql(mutation)
            try #require(answer.errorMessages.isEmpty, "\(answer.text)")
        }
        for _ in 0..<2 {
            let pushed = try await sandbox.graphql(
                Self.pushByName, variables: ["entityName": "ml", "projectName": "model-registry", "queueName": "q", "runSpec": #"{"docker_image": "python"}"#])
            try #require(pushed.errorMessages.isEmpty, "\(pushed.text)")
            // The SDK json.loads the runSpec it gets back: it is JSON text.
            let spec = try #require(jsonPath(pushed.data, "pushToRunQueueByName", "runSpec") as? String, "\(pushed.text)")
            #expect(spec.contains(#""docker_image":"python""#), "\(spec)")
        }
        let queues = try await sandbox.client().runQueues(inEntities: ["ml"])
        return try #require(queues["ml"]?.first { $0.name == "q" }?.id)
    }

    @Test("items pushed by name are counted as RunQueue.items reads them; a queue holding items is not deleted")
    func deletionKeepsItems() async throws {
        try await TestSandbox.with { sandbox in
            let id = try await Self.queueWithTwoItems(sandbox)
            let client = try sandbox.client()
            #expect(try await client.runQueueItemCount(entity: "ml", queue: "q") == 2)
            #expect(try await client.runQueueItemCount(entity: "ml", queue: "missing") == nil)
            await #expect(throws: WandbAPIError.self) { try await client.deleteRunQueues(ids: [id]) }
            #expect(try await client.runQueueItemCount(entity: "ml", queue: "q") == 2, "the queue and its items must stay")
        }
    }

    @Test("told to, the sandbox deletes a queue with its items")
    func deletionDropsItemsWhenAsked() async throws {
        try await TestSandbox.with({ $0.deletesQueuesWithItems = true }) { sandbox in
            let id = try await Self.queueWithTwoItems(sandbox)
            let client = try sandbox.client()
            try await client.deleteRunQueues(ids: [id])
            #expect(try await client.runQueueItemCount(entity: "ml", queue: "q") == nil)
        }
    }
}
