import Foundation

/// Owns the sandbox's ``SandboxState``: hands out consistent snapshots and applies changes one at a time,
/// all or nothing.
///
/// A change costs O(log n) in the size of the state, snapshots O(1): ``SandboxState``'s tables are persistent, so
/// a change is made to a copy (all or nothing) without copying the state, and a request keeps reading the
/// snapshot it took while later changes are made.
///
/// With a state file, a change is answered only once a save that includes it has reached the disk. Saves
/// run off the actor, one at a time, and every change made while one runs is covered by the next one
/// (group commit), so concurrent clients share the cost of a write. A save writes the whole document, but
/// encodes only the records changed since the last one (``StateDocument``); the rest is copied bytes.
actor SandboxStore {
    private(set) var state: SandboxState
    private let file: StateFile?
    /// With a file: the document of ``state`` as of the last change (`nil` when it must be rebuilt from ``state``).
    private var document: StateDocument?
    private let clock: @Sendable () -> Date

    /// Bumped by every applied change.
    private var version = 0
    /// The newest version known to be on disk.
    private var durableVersion = 0
    /// The save currently running, if any; it returns the version it wrote.
    private var saveInFlight: (token: Int, task: Task<Int, any Error>)?
    private var lastToken = 0
    /// ``SandboxConfiguration/deletesQueuesWithItems``.
    private(set) var deletesQueuesWithItems = false

    init(state: SandboxState, file: StateFile?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.state = state
        self.file = file
        self.clock = clock
    }

    func setDeletesQueuesWithItems(_ deletes: Bool) { deletesQueuesWithItems = deletes }

    /// The current state (a value: later changes do not affect it).
    func snapshot() -> SandboxState { state }

    /// The current time as the server writes timestamps (RFC 3339, UTC, whole seconds).
    nonisolated func timestamp() -> String {
        Self.timestamp(clock())
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Applies `change` to a copy of the state; if it succeeds the copy becomes the state and, with a state
    /// file, is saved before this returns. Returns the change's result and the new state.
    /// - Throws: the change's error (nothing changed), or a `storage` error when the save failed (the change
    ///   stays in memory and is written by the next successful save).
    func mutate<Result: Sendable>(
        _ change: (inout SandboxState, _ now: String) throws(SandboxError) -> Result
    ) async throws(SandboxError) -> (Result, SandboxState) {
        var copy = state
        if file != nil { copy.changes = [] }
        let result = try change(&copy, timestamp())
        let changed = copy.changes ?? []
        copy.changes = nil
        state = copy
        version += 1
        if file != nil { updateDocument(changed) }
        try await makeDurable(upTo: version)
        return (result, copy)
    }

    /// Writes the current state to the state file (no-op without one).
    func save() async throws(SandboxError) {
        guard let file else { return }
        if let inFlight = saveInFlight { _ = await inFlight.task.result }
        try file.write(try currentDocument().data())
        durableVersion = version
    }

    /// Brings ``document`` up to date with the records a change wrote (or drops it, to be rebuilt, if one cannot
    /// be encoded: the next save then reports the error).
    private func updateDocument(_ changed: Set<SandboxTableKey>) {
        guard document != nil else { return }
        do {
            try document?.update(changed, from: state)
        } catch {
            document = nil
        }
    }

    /// ``document``, rebuilt from ``state`` when it was dropped or never built.
    private func currentDocument() throws(SandboxError) -> StateDocument {
        if let document { return document }
        do {
            let built = try StateDocument(state)
            document = built
            return built
        } catch {
            throw SandboxError(.storage, "cannot encode the sandbox state: \(error)")
        }
    }

    private func makeDurable(upTo target: Int) async throws(SandboxError) {
        guard let file else { return }
        while durableVersion < target {
            let inFlight: (token: Int, task: Task<Int, any Error>)
            if let running = saveInFlight {
                inFlight = running
            } else {
                let snapshot = try currentDocument()
                let snapshotVersion = version
                lastToken += 1
                inFlight = (lastToken, Task.detached {
                    try file.write(snapshot.data())
                    return snapshotVersion
                })
                saveInFlight = inFlight
            }
            let outcome = await inFlight.task.result
            if saveInFlight?.token == inFlight.token { saveInFlight = nil }
            switch outcome {
            case .success(let saved):
                durableVersion = max(durableVersion, saved)
            case .failure(let error):
                throw (error as? SandboxError) ?? SandboxError(.storage, "cannot save the sandbox state: \(error)")
            }
        }
    }
}
