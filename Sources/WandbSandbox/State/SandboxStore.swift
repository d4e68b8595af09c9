import Foundation

/// Owns the sandbox's ``SandboxState``: hands out consistent snapshots and applies changes one at a time,
/// all or nothing.
///
/// With a state file, a change is answered only once a save that includes it has reached the disk. Saves
/// run off the actor, one at a time, and every change made while one runs is covered by the next one
/// (group commit), so concurrent clients share the cost of a write.
actor SandboxStore {
    private(set) var state: SandboxState
    private let file: StateFile?
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
        let result = try change(&copy, timestamp())
        state = copy
        version += 1
        try await makeDurable(upTo: version)
        return (result, copy)
    }

    /// Writes the current state to the state file (no-op without one).
    func save() async throws(SandboxError) {
        guard let file else { return }
        if let inFlight = saveInFlight { _ = await inFlight.task.result }
        try file.save(state)
        durableVersion = version
    }

    private func makeDurable(upTo target: Int) async throws(SandboxError) {
        guard let file else { return }
        while durableVersion < target {
            let inFlight: (token: Int, task: Task<Int, any Error>)
            if let running = saveInFlight {
                inFlight = running
            } else {
                let snapshot = state
                let snapshotVersion = version
                lastToken += 1
                inFlight = (lastToken, Task.detached {
                    try file.save(snapshot)
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
