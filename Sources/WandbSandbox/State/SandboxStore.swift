import Foundation

/// Owns the sandbox's ``SandboxState``: hands out consistent snapshots and applies changes one at a time,
/// all or nothing, saving each change to the state file (when there is one) before it becomes visible.
actor SandboxStore {
    private(set) var state: SandboxState
    private let file: StateFile?
    private let clock: @Sendable () -> Date

    init(state: SandboxState, file: StateFile?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.state = state
        self.file = file
        self.clock = clock
    }

    /// The current state (a value: later changes do not affect it).
    func snapshot() -> SandboxState { state }

    /// The current time as the server writes timestamps (RFC 3339, UTC, whole seconds).
    nonisolated func timestamp() -> String {
        Self.timestamp(clock())
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Applies `change` to a copy of the state; if it succeeds the copy is saved and becomes the state.
    /// Returns the change's result and the new state.
    func mutate<Result: Sendable>(
        _ change: (inout SandboxState, _ now: String) throws(SandboxError) -> Result
    ) throws(SandboxError) -> (Result, SandboxState) {
        var copy = state
        let result = try change(&copy, timestamp())
        try file?.save(copy)
        state = copy
        return (result, copy)
    }

    /// Writes the current state to the state file (no-op without one).
    func save() throws(SandboxError) {
        try file?.save(state)
    }
}
