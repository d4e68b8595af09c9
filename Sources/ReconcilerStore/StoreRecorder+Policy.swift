import Declarations
import JSON
import Planning
import Store

extension StoreRecorder {
    /// The policy of each object's last applied declaration, by step id (rows without one are left out).
    public func appliedPolicies() async throws -> [String: AppliedPolicy] {
        try await Self.appliedPolicies(from: objects)
    }

    /// The remembered policies in `objects`, by step id.
    public static func appliedPolicies(from objects: any ObjectStatusRepository) async throws -> [String: AppliedPolicy] {
        try await objects.appliedPolicyTexts().compactMapValues(decodePolicy)
    }

    /// `{"protect":false,"prune":true}`: how a policy is stored (``ObjectStatus/appliedPolicy``).
    static func encodePolicy(_ policy: AppliedPolicy) -> String {
        var members: [String: JSONValue] = ["protect": .bool(policy.protect)]
        if let prune = policy.prune { members["prune"] = .bool(prune) }
        return CanonicalJSON.string(.object(members))
    }

    /// A stored policy; `nil` for text that is not one (it is then ignored: the global setting decides).
    static func decodePolicy(_ text: String) -> AppliedPolicy? {
        guard let value = try? JSONValue(parsing: text), let members = value.object else { return nil }
        return AppliedPolicy(prune: members["prune"]?.bool, protect: members["protect"]?.bool ?? false)
    }

    /// The stored form of a declaration's policy (queues carry one; other kinds `nil`).
    static func storedPolicy(of declaration: Declaration) -> String? {
        guard case .runQueue(let queue) = declaration.object else { return nil }
        return encodePolicy(AppliedPolicy(queue.policy))
    }
}
