import Store

/// Tells transitions from states: an object is notified when it becomes failed or drifted (not again while it stays
/// so), a run when it fails after one that did not.
///
/// The states are kept in memory, seeded from the store before this process's first run: a restart does not
/// notify again for objects that were already failed or drifted.
struct TransitionTracker: Sendable {
    /// The states that are notified.
    static let notifiedStates: Set<ObjectState> = [.failed, .drifted]

    private var states: [ObjectKey: ObjectState]?
    private var runFailing = false

    var isSeeded: Bool { states != nil }

    /// Remembers the states before the first run (only once).
    mutating func seed(_ objects: [ObjectStatus]) {
        guard states == nil else { return }
        states = Dictionary(objects.map { ($0.key, $0.state) }, uniquingKeysWith: { _, last in last })
    }

    /// The objects that entered a notified state since the last call, and remembers every state.
    mutating func becameNotified(_ objects: [ObjectStatus]) -> [ObjectStatus] {
        let before = states ?? [:]
        states = Dictionary(objects.map { ($0.key, $0.state) }, uniquingKeysWith: { _, last in last })
        return objects.filter { Self.notifiedStates.contains($0.state) && before[$0.key] != $0.state }
    }

    /// `true` when a run failing now follows one that did not.
    mutating func runEnded(failed: Bool) -> Bool {
        defer { runFailing = failed }
        return failed && !runFailing
    }
}
