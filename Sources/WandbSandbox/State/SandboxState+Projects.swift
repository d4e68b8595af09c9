import Foundation

/// Projects.
extension SandboxState {
    /// The fields of `UpsertModelInput` the sandbox keeps.
    struct ProjectUpsert: Sendable {
        var entityName: String?
        var name: String?
        var description: String?
        var access: String?
        var views: String?
    }

    /// `upsertModel(input:)`: creates the project, or updates the given fields of an existing one (matched by
    /// entity and name). Members of the entity and instance admins only. Returns the project and whether it
    /// was inserted.
    mutating func upsertProject(_ input: ProjectUpsert, caller: UserRecord, now: String) throws(SandboxError) -> (ProjectRecord, inserted: Bool) {
        guard let name = input.name, !name.isEmpty else { throw .invalidInput("project name is required") }
        guard name.count <= 128 else { throw .invalidInput("project name \"\(name.prefix(20))...\" is longer than 128 characters") }
        guard !name.contains("/"), name.trimmingCharacters(in: .whitespaces) == name else {
            throw .invalidInput("invalid project name \"\(name)\"")
        }
        let entity = try requireEntity(input.entityName ?? caller.entityName)
        try requireMember(of: entity, caller: caller, to: "create projects")
        if let views = input.views { try JSONText.requireValid(views, field: "views") }

        if var project = project(named: name, entityID: entity.id) {
            if let description = input.description { project.description = description }
            if let access = input.access { project.access = access }
            if let views = input.views { project.views = views }
            project.updatedAt = now
            put(project)
            return (project, false)
        }
        let (id, serial) = mintID("Project")
        let project = ProjectRecord(
            id: id, serial: serial, entityID: entity.id, name: name, description: input.description,
            access: input.access ?? "PRIVATE", views: input.views ?? "{}", createdAt: now, updatedAt: now,
            creatorUserID: caller.id)
        put(project)
        return (project, true)
    }
}
