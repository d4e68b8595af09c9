import Synchronization

/// What a client remembers between calls: whether the server lacks `upsertRunQueue`, the largest read batch
/// the server has coped with, and the entities whose `model-registry` project it has already made sure of.
final class ClientCache: Sendable {
    private struct State {
        /// Set when the server answered `Cannot query field "upsertRunQueue"` (older than 0.63.0).
        var lacksUpsertRunQueue = false
        /// The batch size reads fall back to after a batch timed out, broke the server or was too complex.
        var batchLimit: Int?
        var launchProjects: Set<String> = []
    }

    private let state = Mutex(State())

    var lacksUpsertRunQueue: Bool {
        get { state.withLock { $0.lacksUpsertRunQueue } }
        set { state.withLock { $0.lacksUpsertRunQueue = newValue } }
    }

    var batchLimit: Int? { state.withLock { $0.batchLimit } }

    /// Lowers the batch limit to `size` (never raises it).
    func limitBatches(to size: Int) {
        state.withLock { $0.batchLimit = min($0.batchLimit ?? size, size) }
    }

    func hasLaunchProject(_ entity: String) -> Bool { state.withLock { $0.launchProjects.contains(entity) } }

    func rememberLaunchProject(_ entity: String) { _ = state.withLock { $0.launchProjects.insert(entity) } }

    func forgetLaunchProjects() { state.withLock { $0.launchProjects.removeAll() } }
}
