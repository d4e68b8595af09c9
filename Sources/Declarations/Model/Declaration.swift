/// One validated declaration: a queue, team, user, project or policy, with where it was written.
public struct Declaration: Sendable, Equatable {
    /// The kinds of object launchq manages, in the order they are applied.
    public enum Kind: String, Sendable, CaseIterable, Codable, Comparable {
        case user = "User"
        case team = "Team"
        case project = "Project"
        case runQueue = "RunQueue"
        /// launchq's own guardrails; never written to W&B.
        case policy = "Policy"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The object itself.
    public enum Object: Sendable, Equatable {
        case runQueue(RunQueue)
        case team(Team)
        case user(User)
        case project(Project)
        case policy(GuardrailPolicy)
    }

    public var object: Object
    /// Where the document starts.
    public var location: SourceLocation

    public init(_ object: Object, at location: SourceLocation) {
        self.object = object
        self.location = location
    }

    public var kind: Kind {
        switch object {
        case .runQueue: .runQueue
        case .team: .team
        case .user: .user
        case .project: .project
        case .policy: .policy
        }
    }

    /// What makes the object unique within its kind: `entity/name` for queues and projects, the name for
    /// teams and policies, the lower-cased email for users.
    public var identity: String {
        switch object {
        case .runQueue(let queue): "\(queue.entity)/\(queue.name)"
        case .team(let team): team.name
        case .user(let user): user.email.lowercased()
        case .project(let project): "\(project.entity)/\(project.name)"
        case .policy(let policy): policy.name
        }
    }
}
