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
    /// What apply writes, in canonical form.
    public var desired: JSONValue?
    /// The object's W&B id, where it exists.
    public var wandbID: String?
    /// The content hash of the declaration this step comes from (drift detection compares it).
    public var declarationHash: String?
    /// Steps that must succeed first (by ``id``).
    public var dependsOn: [String]

    public init(
        _ action: Action, _ subject: Subject, _ identity: String, changes: [FieldChange] = [], reason: String? = nil, drift: Bool = false,
        desired: JSONValue? = nil, wandbID: String? = nil, declarationHash: String? = nil, dependsOn: [String] = []
    ) {
        self.action = action
        self.subject = subject
        self.identity = identity
        self.changes = changes
        self.reason = reason
        self.drift = drift
        self.desired = desired
        self.wandbID = wandbID
        self.declarationHash = declarationHash
        self.dependsOn = dependsOn
    }

    /// `RunQueue ml-platform/a100`.
    public var id: String { Self.id(subject, identity) }

    public static func id(_ subject: Subject, _ identity: String) -> String { "\(subject.rawValue) \(identity)" }
}

/// One difference between W&B and the declaration, at a JSON pointer of the normalised form.
public struct FieldChange: Sendable, Codable, Equatable {
    public var path: String
    /// `nil` when the field is new.
    public var before: JSONValue?
    /// `nil` when the field goes away.
    public var after: JSONValue?

    public init(path: String, before: JSONValue?, after: JSONValue?) {
        self.path = path
        self.before = before
        self.after = after
    }

    /// Every difference between two values, deepest first where both are objects.
    public static func diff(_ before: JSONValue?, _ after: JSONValue?, at path: JSONPointer = .root) -> [FieldChange] {
        // Equality compares numbers by value, so `1` and `1.0` are no change.
        if let before, let after, before == after { return [] }
        if case .object(let old)? = before, case .object(let new)? = after {
            return Set(old.keys).union(new.keys).sorted().flatMap { diff(old[$0], new[$0], at: path.appending($0)) }
        }
        if before == nil, after == nil { return [] }
        return [FieldChange(path: path.description, before: before, after: after)]
    }
}
