/// What `launchq doctor` found: one row per check, and whether launchq can work with the server.
///
/// Its JSON form (`launchq doctor --format json`) is stable and documented in the README:
/// `{"server", "reachable", "compatible", "exitCode", "user": {"username", "admin"} | null, "checks": [{"check",
/// "subject", "status", "detail"}]}`.
public struct DoctorReport: Sendable, Codable, Equatable {
    /// How one check ended.
    public enum Status: String, Sendable, Codable, Equatable {
        /// Works as launchq needs.
        case ok
        /// Works, with a limit the user should know (a non-admin key, a smaller batch).
        case warning
        /// launchq cannot work this way with this server.
        case failed
    }

    /// One row of the report.
    public struct Check: Sendable, Codable, Equatable {
        /// What was checked, a stable name: `viewer`, `entity-read`, `batched-read`, `user-search`, `mutation`,
        /// `canary`.
        public var check: String
        /// What it was checked on: an entity, an operation name, a queue.
        public var subject: String
        public var status: Status
        /// One line for people.
        public var detail: String

        public init(check: String, subject: String, status: Status, detail: String) {
            self.check = check
            self.subject = subject
            self.status = status
            self.detail = detail
        }
    }

    /// The key's user.
    public struct User: Sendable, Codable, Equatable {
        public var username: String
        /// Whether the user administers the instance (may create teams and users, search users).
        public var admin: Bool

        public init(username: String, admin: Bool) {
            self.username = username
            self.admin = admin
        }
    }

    /// The W&B server checked (its base URL).
    public var server: String
    /// Whether the server answered and accepted the API key.
    public var reachable: Bool
    /// The key's user, when the server told.
    public var user: User?
    public var checks: [Check]

    public init(server: String, reachable: Bool, user: User? = nil, checks: [Check] = []) {
        self.server = server
        self.reachable = reachable
        self.user = user
        self.checks = checks
    }

    /// Whether launchq can work with the server: it answered and no check failed.
    public var compatible: Bool { reachable && !checks.contains { $0.status == .failed } }

    /// `launchq doctor`'s exit status: 0 compatible, 1 not compatible, 2 cannot connect (no answer, or the API key
    /// was refused).
    public var exitCode: Int32 { !reachable ? 2 : compatible ? 0 : 1 }

    /// The checks that failed.
    public var failures: [Check] { checks.filter { $0.status == .failed } }

    private enum CodingKeys: String, CodingKey {
        case server, reachable, compatible, exitCode, user, checks
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        server = try container.decode(String.self, forKey: .server)
        reachable = try container.decode(Bool.self, forKey: .reachable)
        user = try container.decodeIfPresent(User.self, forKey: .user)
        checks = try container.decode([Check].self, forKey: .checks)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(server, forKey: .server)
        try container.encode(reachable, forKey: .reachable)
        try container.encode(compatible, forKey: .compatible)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(user, forKey: .user)
        try container.encode(checks, forKey: .checks)
    }
}
