import Declarations
import WandbModel

/// A fleet planned a chunk of entities at a time, so that only one chunk's observed JSON is held at once (issue 13):
/// each chunk is observed, planned (``add(_:observed:lastApplied:appliedPolicies:)``) and slimmed; ``finish()`` gives
/// the one plan of the whole fleet — the same steps, order, hashes and deletion cap as ``Planner/plan(_:observed:lastApplied:appliedPolicies:)``
/// over one observation of everything — and the slimmed observation it was made from (enough to apply and record it).
/// Pure: the caller reads W&B.
public struct FleetPlan: Sendable {
    /// A few entities with the declarations that live in them (their teams, projects and queues), plus every User
    /// declaration (a team's admin or member may be declared as a User anywhere); only the first chunk keeps the
    /// users' steps.
    public struct Chunk: Sendable {
        /// Entity names, sorted; chunks follow one another in name order.
        public var entities: [String]
        public var declarations: [Declaration]
        /// Whether this chunk's user steps (and users' desired hashes) are kept: the first chunk's only.
        public var keepsUsers: Bool

        public init(entities: [String], declarations: [Declaration], keepsUsers: Bool) {
            self.entities = entities
            self.declarations = declarations
            self.keepsUsers = keepsUsers
        }
    }

    public let planner: Planner
    /// Every declaration of the fleet; for an outline (``init(outlineOf:declarationCount:planner:)``), its Users and Policies.
    public let declarations: [Declaration]
    /// How many declarations the fleet has: the deletion cap's managed objects, with the deletions.
    public let declarationCount: Int
    /// Whether only the steps' outlines are kept, and no observation (``init(outlineOf:declarationCount:planner:)``).
    public let keepsOutlines: Bool
    /// What every chunk's plan is merged into: the chunks' observations, slimmed, with the users and the viewer.
    public private(set) var observed: ObservedState
    private var forward: [PlanStep] = []
    private var deletions: [PlanStep] = []
    private var desiredLines: [String] = []
    /// Each declared queue's position among the declarations: the whole-fleet planner's order of queue steps.
    private let queueOrder: [String: Int]

    /// Starts a fleet's plan; `users`: every user the declarations name, read once for all chunks.
    public init(declarations: [Declaration], users: [String: ObservedUser], planner: Planner) {
        self.init(declarations, declarationCount: declarations.count, keepsOutlines: false, users: users, planner: planner)
    }

    /// Starts the outline of a fleet whose declarations are decoded a chunk at a time: what a fleet run approves
    /// before it writes (issue 13). `shared`: the fleet's User and Policy declarations (the rest arrive with their
    /// chunks); `declarationCount`: how many declarations the fleet has in all. Steps are kept as outlines
    /// (``PlanStep/outline``) in the order the chunks come, and no observation is kept: ``finish()``'s plan has the
    /// same steps, summary and deletion cap as the whole plan, and an empty observation.
    public init(outlineOf shared: [Declaration], declarationCount: Int, planner: Planner) {
        self.init(shared, declarationCount: declarationCount, keepsOutlines: true, users: [:], planner: planner)
    }

    private init(_ declarations: [Declaration], declarationCount: Int, keepsOutlines: Bool, users: [String: ObservedUser], planner: Planner) {
        self.planner = planner
        self.declarations = declarations
        self.declarationCount = declarationCount
        self.keepsOutlines = keepsOutlines
        observed = ObservedState(users: users, scope: ObservationScope(declarations))
        var order: [String: Int] = [:]
        for (index, declaration) in declarations.enumerated() {
            switch declaration.object {
            case .runQueue(let queue): order[PlanStep.id(.runQueue, "\(queue.entity)/\(queue.name)")] = index
            case .policy: desiredLines.append(Planner.desiredLine(declaration, hash: declaration.contentHash))
            default: break
            }
        }
        queueOrder = order
    }

    /// Splits `declarations` into chunks of at most `entitiesPerChunk` entities, in entity name order (at least one chunk).
    public static func chunks(of declarations: [Declaration], entitiesPerChunk: Int) -> [Chunk] {
        var users: [Declaration] = []
        var byEntity: [String: [Declaration]] = [:]
        for declaration in declarations {
            switch declaration.object {
            case .runQueue(let queue): byEntity[queue.entity, default: []].append(declaration)
            case .project(let project): byEntity[project.entity, default: []].append(declaration)
            case .team(let team): byEntity[team.name, default: []].append(declaration)
            case .user: users.append(declaration)
            case .policy: break  // launchq's own: nothing on W&B to plan
            }
        }
        let names = byEntity.keys.sorted()
        let size = max(1, entitiesPerChunk)
        var chunks: [Chunk] = []
        for start in stride(from: 0, to: names.count, by: size) {
            let entities = Array(names[start..<min(start + size, names.count)])
            chunks.append(Chunk(entities: entities, declarations: users + entities.flatMap { byEntity[$0] ?? [] }, keepsUsers: chunks.isEmpty))
        }
        if chunks.isEmpty { chunks.append(Chunk(entities: [], declarations: users, keepsUsers: true)) }
        return chunks
    }

    /// Plans one chunk against `observed` (its entities, the fleet's users, and the viewer if one was read) and keeps
    /// its steps and its observation slimmed.
    public mutating func add(
        _ chunk: Chunk, observed chunkObserved: ObservedState, lastApplied: [String: String] = [:], appliedPolicies: [String: AppliedPolicy] = [:]
    ) {
        let hashes = chunk.declarations.map(\.contentHash)
        var builder = PlanBuilder(
            declarations: chunk.declarations, hashes: hashes, observed: chunkObserved, lastApplied: lastApplied, appliedPolicies: appliedPolicies,
            configuration: planner.configuration)
        builder.planUsers()
        builder.planTeams()
        builder.planProjects()
        builder.planQueues()
        for step in builder.steps where chunk.keepsUsers || step.subject != .user {
            let kept = keepsOutlines ? step.outline : step
            if step.action == .delete { deletions.append(kept) } else { forward.append(kept) }
        }
        for (declaration, hash) in zip(chunk.declarations, hashes) where chunk.keepsUsers || declaration.kind != .user {
            desiredLines.append(Planner.desiredLine(declaration, hash: hash))
        }
        if keepsOutlines { return }
        if observed.viewer == nil { observed.viewer = chunkObserved.viewer }
        for (name, entity) in chunkObserved.slimmed().entities { observed.entities[name] = entity }
    }

    /// The plan of the whole fleet, and the slimmed observation it was made from.
    public func finish() -> (Plan, ObservedState) {
        // The whole-fleet planner's order: by subject; declared queues in declaration order, then the undeclared
        // ones (entities and names sorted, as the chunks come); everything else as the chunks come (name order).
        let ranked = forward.enumerated().map { arrival, step in
            let rank = step.subject == .runQueue ? (queueOrder[step.id] ?? declarationCount + arrival) : arrival
            return (step, rank)
        }
        let ordered = ranked.sorted { ($0.0.subject, $0.1) < ($1.0.subject, $1.1) }.map(\.0)
        let cap = DeletionCap(
            maximum: planner.configuration.maxDeletions, managedObjects: declarationCount + deletions.count, deletions: deletions.map(\.id))
        let desiredHash = ContentHash.sha256(Array(desiredLines.sorted().joined().utf8))
        return (Plan(observedHash: observed.hash, desiredHash: desiredHash, scope: observed.scope, steps: ordered + deletions, deletionCap: cap), observed)
    }
}

extension Planner {
    /// One declaration's line of a plan's desired hash.
    static func desiredLine(_ declaration: Declaration, hash: String) -> String {
        "\(declaration.kind.rawValue) \(declaration.identity) \(hash)\n"
    }
}
