import Declarations
import JSON
import WandbModel

/// What W&B holds for the objects a set of declarations touches, in launchq's terms.
public struct ObservedState: Sendable {
    /// An entity (team or user) with what it owns.
    public struct Entity: Sendable {
        public var name: String
        public var exists: Bool
        public var isTeam: Bool
        /// Queues by name.
        public var queues: [String: Queue]
        /// Projects by name.
        public var projects: [String: Project]
        public var members: [ObservedTeamMember]

        public init(
            name: String, exists: Bool = true, isTeam: Bool = true, queues: [ObservedRunQueue] = [], projects: [String: Project] = [:],
            members: [ObservedTeamMember] = []
        ) {
            self.name = name
            self.exists = exists
            self.isTeam = isTeam
            self.queues = Dictionary(queues.map { ($0.name, Queue($0)) }, uniquingKeysWith: { first, _ in first })
            self.projects = projects
            self.members = members
        }
    }

    /// A queue on W&B: its id and its state in the same canonical form as ``RunQueue/wandbState``.
    public struct Queue: Sendable {
        public var id: String
        public var state: JSONValue
        /// The queue's ids as the client read it, for writing it back on servers without `upsertRunQueue`.
        /// Its config, template variables and links are dropped: ``state`` holds them, and keeping the client's
        /// copy too would double the memory of a large observation for as long as the plan lives.
        public var raw: ObservedRunQueue
        /// How many items wait on the queue (``WandbClient``'s `runQueueItemCount`, the SDK's `RunQueue.items`);
        /// `nil` until read. Read only for queues a plan would delete.
        public var pendingItems: Int? = nil
        /// ``state`` as canonical JSON text, once the observation was slimmed (``ObservedState/slimmed()``): then
        /// ``state`` is `null` and this is what the hash and the recorder read.
        public var canonicalState: String? = nil
        /// What waits on the queue, when the observation read the backlog (``EntityReadParts/backlog``, serve's
        /// reads); not part of ``ObservedState/hash``.
        public var backlog: QueueBacklog? = nil
    }

    public struct Project: Sendable {
        public var id: String
        public var description: String?

        public init(id: String, description: String? = nil) {
            self.id = id
            self.description = description
        }
    }

    /// Entities read, by name.
    public var entities: [String: Entity]
    /// Users found, keyed by the lower-cased email or the username they were looked up by.
    public var users: [String: ObservedUser]
    /// What was asked of W&B.
    public var scope: ObservationScope
    /// The API key's user with its instance-admin flag; read only when an entity in scope came back absent (W&B
    /// answers `null` both for an entity that does not exist and for one this key cannot see).
    public var viewer: ObservedUser?

    public init(entities: [String: Entity] = [:], users: [String: ObservedUser] = [:], scope: ObservationScope = .init()) {
        self.entities = entities
        self.users = users
        self.scope = scope
    }

    /// The user an email or username names, if W&B has one.
    public func user(_ reference: String) -> ObservedUser? {
        users[reference.lowercased()] ?? users[reference]
    }

    /// A hash of everything observed: a saved plan is stale when this changes.
    public var hash: String {
        var lines: [String] = []
        for (name, entity) in entities {
            lines.append("entity \(name) \(entity.exists) \(entity.isTeam)")
            for (queueName, queue) in entity.queues { lines.append("queue \(name)/\(queueName) \(queue.id) \(queue.canonicalText)") }
            for (projectName, project) in entity.projects { lines.append("project \(name)/\(projectName) \(project.id) \(project.description ?? "")") }
            for member in entity.members {
                lines.append("member \(name) \(member.id ?? "") \(member.username ?? "") \(member.email ?? "") \(member.isAdmin) \(member.pending)")
            }
        }
        for (key, user) in users { lines.append("user \(key) \(user.id) \(user.username ?? "") \(user.admin)") }
        if let viewer { lines.append("viewer \(viewer.id) \(viewer.admin)") }
        return ContentHash.sha256(joining: lines.sorted(), separator: "\n")
    }
}

extension ObservedState.Queue {
    /// Reads a client queue into launchq's canonical form (``RunQueueDefinition/canonicalState``).
    public init(_ queue: ObservedRunQueue) {
        self.init(
            id: queue.id,
            state: RunQueueDefinition(observed: queue).canonicalState,
            raw: ObservedRunQueue(
                id: queue.id, entity: queue.entity, name: queue.name, resourceType: queue.resourceType, wrappedConfig: nil,
                templateVariables: [:], prioritizationMode: queue.prioritizationMode, externalLinksJSON: nil, access: queue.access,
                defaultResourceConfigID: queue.defaultResourceConfigID))
        backlog = queue.backlog
    }
}

extension ObservedState.Queue {
    /// The observed state as canonical JSON text (kept, or made from ``state``).
    public var canonicalText: String { canonicalState ?? CanonicalJSON.string(state) }
}

extension ObservedState {
    /// This observation without the queues' JSON trees: each queue keeps its ids, its state as canonical text
    /// (``Queue/canonicalState``), its pending items and backlog. Enough to apply a plan made from it, record it
    /// and hash it (the same ``hash``), not to plan again: a fleet planned in chunks keeps only this of each chunk.
    public func slimmed() -> ObservedState {
        var slim = self
        for name in Array(slim.entities.keys) {
            guard var entity = slim.entities.removeValue(forKey: name) else { continue }
            for queueName in Array(entity.queues.keys) {
                guard var queue = entity.queues.removeValue(forKey: queueName) else { continue }
                if queue.canonicalState == nil { queue.canonicalState = CanonicalJSON.string(queue.state) }
                queue.state = .null
                entity.queues[queueName] = queue
            }
            slim.entities[name] = entity
        }
        return slim
    }
}
