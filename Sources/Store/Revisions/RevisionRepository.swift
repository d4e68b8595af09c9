/// Desired-state history and the current revision.
public protocol RevisionRepository: Sendable {
    /// Stores `draft` atomically (the revision and all its declarations, or nothing).
    ///
    /// A draft whose content hash equals the current revision's is not stored again: the current revision
    /// comes back with `created == false`. Does not change which revision is current.
    func store(_ draft: RevisionDraft) async throws -> StoredRevision

    /// Makes `revision` current if the current revision is still `expectedCurrent` (`nil`: none yet).
    ///
    /// Throws ``StoreError`` with code ``StoreError/Code/revisionConflict`` (and ``StoreError/currentRevision``)
    /// otherwise, or ``StoreError/Code/revisionNotFound`` for an unknown revision.
    func setCurrent(_ revision: RevisionNumber, expectedCurrent: RevisionNumber?) async throws

    /// Stores `draft` and makes it current in one transaction, if the current revision is still
    /// `expectedCurrent`; on a conflict nothing is stored. An unchanged content hash stores nothing
    /// (`created == false`) but still checks `expectedCurrent`.
    func publish(_ draft: RevisionDraft, expectedCurrent: RevisionNumber?) async throws -> StoredRevision

    /// The current revision's metadata, or `nil` before the first one.
    func current() async throws -> Revision?

    /// The current revision with its declarations, or `nil` before the first one.
    func currentDesiredState() async throws -> DesiredState?

    /// One revision with its declarations, or `nil`.
    func desiredState(at revision: RevisionNumber) async throws -> DesiredState?

    /// Revision metadata, newest first; `before` pages (pass the last number seen).
    func list(limit: Int, before: RevisionNumber?) async throws -> [Revision]
}
