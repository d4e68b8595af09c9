import Declarations
import Logging
import Store

/// Publishes the declaration source (a directory or a git branch) as a revision when its content changed.
///
/// Invalid declarations (including a breach of an error-level `kind: Policy`) are refused: nothing is stored,
/// an event `revision.refused` says why (naming the broken policies), and W&B keeps the last good revision.
public struct SourceSync: Sendable {
    public let source: any DeclarationSource
    let store: PostgresStore
    let logger: Logger
    /// The Kubernetes version whose Job schema checks `kubernetes` resource configs.
    let kubernetesVersion: KubernetesVersion

    public init(source: any DeclarationSource, store: PostgresStore, kubernetesVersion: KubernetesVersion = .newest, logger: Logger) {
        self.source = source
        self.store = store
        self.kubernetesVersion = kubernetesVersion
        self.logger = logger
    }

    /// What a sync did.
    public enum Outcome: Sendable, Equatable {
        /// A new revision was stored and made current.
        case published(RevisionNumber)
        /// The source matches the current revision.
        case unchanged
        /// The declarations are invalid (the summary says how many errors); nothing was stored.
        case refused(String)
    }

    /// Pulls a git source first when `pull` is set, then snapshots, validates and publishes.
    @discardableResult
    public func sync(pull: Bool) async throws -> Outcome {
        if pull, let git = source as? GitSource { try await git.pull() }
        // Each file's bytes are let go once read, and its declarations once their records are made.
        let (report, draft, snapshot) = try await validatedSnapshot()
        let current = try await store.revisions.current()
        guard report.isValid(strict: false) else {
            // Refuse a given content once, not at every interval.
            // The draft's hash is the one the report's declarations give (they became its records).
            let marker = "invalid content \(draft.contentHash.prefix(12))"
            let last = try await store.events.page(limit: 1, before: nil, object: nil).events.first?.draft
            if last?.action != "revision.refused" || last?.message?.hasPrefix(marker) != true {
                let first = report.diagnostics.first { $0.severity == .error }.map(\.description) ?? ""
                _ = try await store.events.append(EventDraft(
                    actor: "launchq serve", action: "revision.refused", outcome: .refused,
                    message: "\(marker): \(report.summary)\(report.policyNote) in \(snapshot.location)\(snapshot.commit.map { " @ \($0)" } ?? ""); first: \(first)",
                    revision: current?.number))
                logger.error("declaration source is invalid; keeping the current revision", metadata: ["summary": "\(report.summary)\(report.policyNote)"])
            }
            return .refused(report.summary)
        }
        let source = draft.source
        if draft.contentHash == current?.contentHash { return .unchanged }
        let stored = try await store.revisions.publish(draft, expectedCurrent: current?.number)
        guard stored.created else { return .unchanged }
        _ = try await store.events.append(EventDraft(
            actor: "launchq serve", action: "revision.publish", outcome: .succeeded,
            message: "\(source.kind) \(source.location)\(source.commit.map { " @ \($0)" } ?? "")", revision: stored.revision.number))
        logger.info("published a new revision from the source", metadata: ["revision": "\(stored.revision.number)"])
        return .published(stored.revision.number)
    }

    /// The source's snapshot validated (the report has no declarations: they are the draft's records), its
    /// revision draft, and the snapshot without its files.
    private func validatedSnapshot() async throws -> (ValidationReport, RevisionDraft, SourceSnapshot) {
        var snapshot = try await source.snapshot()
        let files = snapshot.files
        snapshot.files = []
        let revisionSource = RevisionSource(kind: snapshot.kind, location: snapshot.location, commit: snapshot.commit, author: snapshot.author)
        let (report, draft) = DesiredStateCodec.draft(validating: consume files, source: revisionSource, kubernetesVersion: kubernetesVersion)
        return (report, draft, snapshot)
    }
}
