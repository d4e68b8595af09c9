extension WandbAPIError {
    /// The role a W&B operation needs, in the words of W&B's documentation, for permission errors.
    ///
    /// `createTeam` needs an instance (organization) admin and does not add the caller to the team
    /// (wandb/docs#2863); `users(query:)` "only works for local administrators" (the SDK's docstring).
    public static func requiredRole(for operation: String) -> String {
        switch operation {
        case "CreateTeam": "an instance (organization) admin; the caller is not added to the new team"
        case "SearchUsers", "SearchUsersBatch": "an instance admin (users(query:) is admin-only, so self-managed W&B only)"
        case "CreateUserFromAdmin": "an instance admin (self-managed W&B only)"
        case "UpsertRunQueue", "CreateRunQueue", "CreateDefaultResourceConfig", "DeleteRunQueues":
            "an admin of the queue's team (or an instance admin)"
        case "CreateInvite", "DeleteInvite": "an admin of the team (or an instance admin)"
        case "CreateProject": "a member of the entity (or an instance admin)"
        default: "more rights than this API key's user has"
        }
    }

    /// Whether a GraphQL error message is a permission refusal (as W&B and the sandbox word them).
    static func isPermissionMessage(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return ["permission denied", "permission_denied", "not authorized", "forbidden", "must be an admin",
            "only instance admins", "insufficient permission", "does not have permission", "not allowed to"]
            .contains { lowered.contains($0) }
    }

    /// A permission error for `operation`, quoting what the server said.
    static func permissionDenied(
        operation: String, httpStatus: Int?, messages: [String], attempts: Int
    ) -> WandbAPIError {
        let said = messages.isEmpty ? "HTTP \(httpStatus ?? 403)" : messages.joined(separator: "; ")
        return WandbAPIError(
            code: .permissionDenied,
            message: "permission denied: \(operation) needs \(requiredRole(for: operation)); the server said: \(said)",
            operation: operation, httpStatus: httpStatus, graphQLMessages: messages, attempts: attempts)
    }

    /// Whether the server answered that it has no field `name` (graphql-go: `Cannot query field "name" on type ...`),
    /// i.e. the server is older than the document.
    public func isMissingField(_ name: String) -> Bool {
        let needle = "Cannot query field \"\(name)\""
        return message.contains(needle) || graphQLMessages.contains { $0.contains(needle) }
    }

    /// Whether a smaller batch may succeed where this read failed: an attempt that timed out, a 5xx answer, or
    /// a query-complexity refusal.
    var suggestsSmallerBatch: Bool {
        if code == .transport, message.contains(Self.timeoutMarker) { return true }
        if let status = httpStatus, (500...599).contains(status), code == .http || code == .deadlineExceeded { return true }
        let complexity = ["complexity", "too complex", "query cost", "too many fields", "query is too large"]
        return (graphQLMessages + [message]).contains { text in
            let lowered = text.lowercased()
            return complexity.contains { lowered.contains($0) }
        }
    }

    /// The words every per-attempt timeout's message contains.
    static let timeoutMarker = "timed out after"
}
