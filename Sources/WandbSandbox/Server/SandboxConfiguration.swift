/// How to run a ``SandboxServer``.
public struct SandboxConfiguration: Sendable {
    /// Address to listen on; loopback by default.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (read it back from ``SandboxServer/baseURL``).
    public var port = 0
    /// The API key of the instance admin that exists from the start (with a personal entity named
    /// ``adminUsername``). Never logged.
    public var adminAPIKey: String
    /// Username (and personal entity name) of that admin.
    public var adminUsername = "admin"
    /// Where state is kept across restarts (`--state FILE`); `nil` keeps it in memory only.
    public var statePath: String? = nil
    /// Failures to inject into `POST /graphql` (`--faults SPEC`).
    public var faults: FaultPlan = .none
    /// Mutations the served schema leaves out, to play an older W&B server: with `["upsertRunQueue"]` a document
    /// using it is refused as graphql-go refuses it on servers before 0.63.0 (`Cannot query field "upsertRunQueue"
    /// on type "Mutation".`, HTTP 200, no data).
    public var removedMutations: Set<String> = []
    /// Whether `deleteRunQueues` deletes a queue that still holds items, and its items with it. `false` (the
    /// default): such a deletion is refused and nothing is deleted. Invented: what W&B does is not known.
    public var deletesQueuesWithItems = false
    /// Largest request body accepted; larger ones get HTTP 413.
    public var maximumBodySize = 4 * 1024 * 1024

    /// - Parameter adminAPIKey: the instance admin's API key (the SDK wants at least 40 characters).
    public init(adminAPIKey: String) {
        self.adminAPIKey = adminAPIKey
    }
}
