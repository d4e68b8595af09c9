import Synchronization
import WandbModel

/// What a client remembers between calls: the server's capabilities and the entities whose
/// `model-registry` project it has already made sure of.
final class ClientCache: Sendable {
    private struct State {
        var capabilities: ServerCapabilities?
        var launchProjects: Set<String> = []
    }

    private let state = Mutex(State())

    var capabilities: ServerCapabilities? {
        get { state.withLock { $0.capabilities } }
        set { state.withLock { $0.capabilities = newValue } }
    }

    func hasLaunchProject(_ entity: String) -> Bool { state.withLock { $0.launchProjects.contains(entity) } }

    func rememberLaunchProject(_ entity: String) { _ = state.withLock { $0.launchProjects.insert(entity) } }

    func forgetLaunchProjects() { state.withLock { $0.launchProjects.removeAll() } }
}
