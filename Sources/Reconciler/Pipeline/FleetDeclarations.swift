import Declarations

/// A fleet's declarations handed out a few entities at a time, so that a run decodes, observes, plans, applies and
/// records one chunk of entities at a time (``Reconciliation/run(fleet:_:)``, issue 13): its memory is bounded by
/// a chunk, not by the fleet.
public struct FleetDeclarations: Sendable {
    /// The fleet's User and Policy declarations, decoded once: the users are planned and applied first, on their
    /// own, and every chunk plans its teams' admins and members with them.
    public var shared: [Declaration]
    /// The entities, a chunk's worth each, in order.
    public var chunks: [[String]]
    /// How many declarations the fleet has in all (the deletion cap counts them).
    public var count: Int
    /// The declarations that live in these entities: their teams, projects and queues.
    public var declarations: @Sendable (_ entities: [String]) async throws -> [Declaration]

    public init(
        shared: [Declaration], chunks: [[String]], count: Int,
        declarations: @escaping @Sendable (_ entities: [String]) async throws -> [Declaration]
    ) {
        self.shared = shared
        self.chunks = chunks
        self.count = count
        self.declarations = declarations
    }

    /// A fleet already decoded, cut as ``chunks(_:entitiesPerChunk:queuesPerChunk:)`` does.
    public init(_ all: [Declaration], entitiesPerChunk: Int, queuesPerChunk: Int = Self.queuesPerChunk) {
        var byEntity: [String: [Declaration]] = [:]
        var shared: [Declaration] = []
        for declaration in all {
            if let entity = Self.entity(kind: declaration.kind.rawValue, identity: declaration.identity) {
                byEntity[entity, default: []].append(declaration)
            } else {
                shared.append(declaration)
            }
        }
        let sizes = byEntity.map { name, declarations in (name: name, queues: declarations.count { $0.kind == .runQueue }) }
        let byEntityNow = byEntity
        self.init(
            shared: shared, chunks: Self.chunks(sizes, entitiesPerChunk: entitiesPerChunk, queuesPerChunk: queuesPerChunk), count: all.count,
            declarations: { entities in entities.flatMap { byEntityNow[$0] ?? [] } })
    }

    /// Queues a chunk holds at most, unless one entity alone has more: what bounds a fleet run's memory (one chunk's
    /// declarations, W&B answer and plan), so that it stays the same from 1,000 queues to 10,000.
    public static let queuesPerChunk = 500

    /// Cuts entities (with how many queues each declares) into chunks in name order: at most `entitiesPerChunk`
    /// entities (one read request each) and `queuesPerChunk` queues each, but at least one entity per chunk.
    public static func chunks(_ entities: [(name: String, queues: Int)], entitiesPerChunk: Int, queuesPerChunk: Int) -> [[String]] {
        var chunks: [[String]] = []
        var current: [String] = []
        var queues = 0
        for entity in entities.sorted(by: { $0.name < $1.name }) {
            if !current.isEmpty, current.count >= max(1, entitiesPerChunk) || queues + entity.queues > queuesPerChunk {
                chunks.append(current)
                (current, queues) = ([], 0)
            }
            current.append(entity.name)
            queues += entity.queues
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// The entity a declaration lives in, from its kind and identity: a queue's or project's entity (`entity/name`),
    /// a team's own name; `nil` for users and policies, which live in none.
    public static func entity(kind: String, identity: String) -> String? {
        switch Declaration.Kind(rawValue: kind) {
        case .runQueue, .project: identity.split(separator: "/", maxSplits: 1).first.map(String.init)
        case .team: identity
        case .user, .policy, nil: nil
        }
    }
}
