/// A project as W&B returns it.
public struct ObservedProject: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    /// The entity owning the project.
    public var entity: String
    public var description: String?
    /// The project's visibility (`PRIVATE`, `ENTITY_READ`, ...) when the server says.
    public var access: String?
    /// RFC 3339 creation time, when the server says.
    public var createdAt: String?

    public init(id: String, name: String, entity: String, description: String?, access: String?, createdAt: String?) {
        self.id = id
        self.name = name
        self.entity = entity
        self.description = description
        self.access = access
        self.createdAt = createdAt
    }
}
