/// Pushing items by queue name, as `launch_add` does.
extension SandboxState {
    /// `pushToRunQueueByName(input:)`: what the SDK's `launch_add` sends first (`LaunchApi.push_to_run_queue_by_name`,
    /// falling back to `pushToRunQueue` only when this fails). The queue is found by entity, project and name;
    /// the rest is ``pushToRunQueue(queueID:runSpec:templateVariableValues:priority:caller:now:)``.
    mutating func pushToRunQueue(
        byName queueName: String, entityName: String?, projectName: String?, runSpec: String, templateVariableValues: String?, priority: Int?,
        caller: UserRecord, now: String
    ) throws(SandboxError) -> RunQueueItemRecord {
        let entity = try requireEntity(entityName)
        let project = try requireProject(projectName, in: entity)
        guard let queue = runQueue(named: queueName, projectID: project.id) else {
            throw .notFound("run queue \"\(queueName)\" not found in \(entity.name)/\(project.name)")
        }
        return try pushToRunQueue(
            queueID: queue.id, runSpec: runSpec, templateVariableValues: templateVariableValues, priority: priority, caller: caller, now: now)
    }
}
