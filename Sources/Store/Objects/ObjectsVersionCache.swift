import Synchronization

/// The objects' change counter (``ObjectStatusRepository/version()``) kept in memory, so `GET /v1/objects` learns
/// that nothing changed without a query per request.
///
/// It answers only while this process listens on ``ControlChannel`` (as ``TokenCache`` does): every transaction that
/// writes objects announces the version it committed (`objects-version:<n>`, sent by migration 0006's trigger at
/// commit), and the highest one heard is the current version. Until a listener is in place, after it stops, and
/// whenever a read could have missed a change, ``PostgresObjectStatusRepository/version()`` reads the database; such a
/// read is trusted only when no listener change happened while it ran. This process's own writes read the version
/// back after they commit (``PostgresObjectStatusRepository``), so a caller whose write returned never gets an older
/// version; another process's write is seen when its notification arrives. Thread-safe.
public final class ObjectsVersionCache: Sendable {
    /// The notification payload prefix announcing a committed version (followed by the number).
    public static let payloadPrefix = "objects-version:"

    private struct State {
        var listeners = 0
        /// The current version, or `nil` while it must be read from the database.
        var known: Int64?
        /// The highest version announced since the listener started.
        var announced: Int64 = .min
        /// Changes when a listener starts or stops and when the version is forgotten: a read that started under
        /// another generation may predate what the listener hears, so it is not trusted.
        var generation: UInt64 = 0
        var hits = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Versions answered from memory since this was made (for tests and benchmarks).
    public var hits: Int { state.withLock { $0.hits } }

    /// Whether the cache answers (a listener runs and a version was read since it started).
    public var isServing: Bool { state.withLock { $0.listeners > 0 && $0.known != nil } }

    /// The current version, or `nil` when the database must be asked.
    public func current() -> Int64? {
        state.withLock { state in
            guard state.listeners > 0, let known = state.known else { return nil }
            state.hits += 1
            return known
        }
    }

    /// The generation to pass to ``read(_:generation:)`` after reading the version, or `nil` when no listener runs.
    public func generationBeforeRead() -> UInt64? {
        state.withLock { $0.listeners > 0 ? $0.generation : nil }
    }

    /// A version read from the database that started at `generation`: trusted (with anything announced since) if
    /// the listener ran throughout.
    public func read(_ version: Int64, generation: UInt64) {
        state.withLock { state in
            guard state.listeners > 0, state.generation == generation else { return }
            state.known = max(state.known ?? .min, version, state.announced)
        }
    }

    /// Stops answering until the next ``read(_:generation:)`` (a write of this process whose version could not be
    /// read back).
    public func forget() {
        state.withLock { state in
            state.generation &+= 1
            state.known = nil
        }
    }

    /// Handles a ``ControlChannel`` payload; `true` if it was an `objects-version:` one (nothing else needs it).
    @discardableResult
    public func handle(notification payload: String) -> Bool {
        guard payload.hasPrefix(Self.payloadPrefix) else { return false }
        state.withLock { state in
            guard let version = Int64(payload.dropFirst(Self.payloadPrefix.count)) else {
                state.generation &+= 1
                state.known = nil
                return
            }
            state.announced = max(state.announced, version)
            if let known = state.known { state.known = max(known, version) }
        }
        return true
    }

    /// A listener is in place: versions committed from now on are announced to it; the next read is trusted.
    public func listenerStarted() {
        state.withLock { state in
            state.listeners += 1
            state.generation &+= 1
            state.known = nil
            state.announced = .min
        }
    }

    /// A listener stopped: announcements may be missed, so the version is read from the database again.
    public func listenerStopped() {
        state.withLock { state in
            state.listeners = max(0, state.listeners - 1)
            state.generation &+= 1
            state.known = nil
            state.announced = .min
        }
    }
}
