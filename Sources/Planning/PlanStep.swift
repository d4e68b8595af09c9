import Declarations
import JSON

/// One thing apply would do to W&B, or would refuse to do.
public struct PlanStep: Sendable, Codable, Equatable {
    /// What happens to the object.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// `+`: made on W&B.
        case create
        /// `~`: changed on W&B to match the declaration.
        case update
        /// `-`: deleted on W&B (pruning).
        case delete
        /// `?`: on W&B but not declared; reported and left alone.
        case orphan
        /// `!`: cannot be done; the reason says why.
        case refused
        /// `=`: differs on W&B, reported only (drift policy `report`).
        case report

        /// The sign in the text plan.
        public var sign: String {
            switch self {
            case .create: "+"
            case .update: "~"
            case .delete: "-"
            case .orphan: "?"
            case .refused: "!"
            case .report: "="
            }
        }

        /// Whether apply writes to W&B for it.
        public var changesWandb: Bool { self == .create || self == .update || self == .delete }
    }

    /// The kinds of object a step acts on, in apply order.
    public enum Subject: String, Sendable, Codable, CaseIterable, Comparable {
        case user = "User"
        case team = "Team"
        case teamMember = "TeamMember"
        case project = "Project"
        case runQueue = "RunQueue"

        public static func < (lhs: Subject, rhs: Subject) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var action: Action
    public var subject: Subject
    /// `entity/name` for queues and projects, the name for teams, the email for users, `team/user` for members.
    public var identity: String
    /// Field-level differences of the normalised form (updates, drift).
    public var changes: [FieldChange]
    /// Why a step is refused, orphaned or reported.
    public var reason: String?
    /// Whether W&B was changed behind launchq's back (the declaration itself did not change).
    public var drift: Bool
    /// What apply sends to W&B, typed (also on `report` steps: what correcting the drift would send).
    public var write: Write?
    /// The object's W&B id, where it exists.
    public var wandbID: String?
    /// The content hash of the declaration this step comes from (drift detection compares it).
    public var declarationHash: String?
    /// Steps that must succeed first (by ``id``).
    public var dependsOn: [String]
    /// The policy of the declaration this step comes from (queues): what the store remembers as the last applied
    /// policy once the step succeeds.
    public var policy: AppliedPolicy?

    public init(
        _ action: Action, _ subject: Subject, _ identity: String, changes: [FieldChange] = [], reason: String? = nil, drift: Bool = false,
        write: Write? = nil, wandbID: String? = nil, declarationHash: String? = nil, dependsOn: [String] = [], policy: AppliedPolicy? = nil
    ) {
        self.action = action
        self.subject = subject
        self.identity = identity
        self.changes = changes
        self.reason = reason
        self.drift = drift
        self.write = write
        self.wandbID = wandbID
        self.declarationHash = declarationHash
        self.dependsOn = dependsOn
        self.policy = policy
    }

    /// What apply writes, in canonical form (derived from ``write``; `nil` for deletions and steps that write nothing).
    public var desired: JSONValue? { write?.desired }

    /// `RunQueue ml-platform/a100`.
    public var id: String { Self.id(subject, identity) }

    public static func id(_ subject: Subject, _ identity: String) -> String { "\(subject.rawValue) \(identity)" }
}

extension PlanStep {
    private enum CodingKeys: String, CodingKey {
        case action, subject, identity, changes, reason, drift, write, desired, wandbID, declarationHash, dependsOn, policy
    }

    /// Reads a saved step; `desired` is derived from `write` and not read back.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(Action.self, forKey: .action), try container.decode(Subject.self, forKey: .subject),
            try container.decode(String.self, forKey: .identity), changes: try container.decode([FieldChange].self, forKey: .changes),
            reason: try container.decodeIfPresent(String.self, forKey: .reason), drift: try container.decode(Bool.self, forKey: .drift),
            write: try container.decodeIfPresent(Write.self, forKey: .write), wandbID: try container.decodeIfPresent(String.self, forKey: .wandbID),
            declarationHash: try container.decodeIfPresent(String.self, forKey: .declarationHash),
            dependsOn: try container.decode([String].self, forKey: .dependsOn), policy: try container.decodeIfPresent(AppliedPolicy.self, forKey: .policy))
    }

    /// Writes the step with `desired` (what apply writes, in canonical form) next to the typed `write`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(action, forKey: .action)
        try container.encode(subject, forKey: .subject)
        try container.encode(identity, forKey: .identity)
        try container.encode(changes, forKey: .changes)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(drift, forKey: .drift)
        try container.encodeIfPresent(write, forKey: .write)
        try container.encodeIfPresent(desired, forKey: .desired)
        try container.encodeIfPresent(wandbID, forKey: .wandbID)
        try container.encodeIfPresent(declarationHash, forKey: .declarationHash)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encodeIfPresent(policy, forKey: .policy)
    }
}
