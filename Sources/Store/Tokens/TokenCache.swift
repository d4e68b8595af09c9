import Synchronization

/// Tokens that verified recently, kept in memory by the SHA-256 of their secret (never the secret), so a busy API
/// client costs no query per request.
///
/// Revocation stays immediate: the cache answers only while this process listens on ``ControlChannel``
/// (``PostgresStore/listenForControl(listening:_:)``, which `serve`'s scheduler always runs), where every
/// revocation is announced (`token-revoked:<id>`, sent in the revoking transaction); the notification removes the
/// token before any later request is checked. Without a listener (it failed, or a command-line process) every
/// check queries the database. Each entry also expires ``maxAge`` after it was verified: the bound for a
/// revocation that no notification announced (an `UPDATE` by hand). Unknown and revoked secrets are never
/// cached, so they are refused by the database every time. Thread-safe.
public final class TokenCache: Sendable {
    /// How long a verified token is trusted without asking the database again.
    public let maxAge: Duration
    /// At most this many tokens are kept (when full, expired ones go, then all).
    public let capacity: Int

    private struct Entry {
        var token: APIToken
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Changes on every revocation and listener change: a verification that started under another generation
        /// may have read a token revoked since, so it is not stored.
        var generation: UInt64 = 0
        var listeners = 0
        var hits = 0
    }

    private let state = Mutex(State())

    /// The notification payload prefix announcing a revoked token (followed by its id).
    public static let revokedPrefix = "token-revoked:"

    public init(maxAge: Duration = .seconds(30), capacity: Int = 1024) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// Checks answered from memory since this cache was made (for tests and benchmarks).
    public var hits: Int { state.withLock { $0.hits } }

    /// Whether the cache answers (a control listener is running).
    public var isServing: Bool { state.withLock { $0.listeners > 0 } }

    /// The token verified under this secret hash, if still fresh and a listener runs.
    public func token(forHash hash: String) -> APIToken? {
        state.withLock { state in
            guard state.listeners > 0, let entry = state.entries[hash] else { return nil }
            guard entry.expires > .now else {
                state.entries[hash] = nil
                return nil
            }
            state.hits += 1
            return entry.token
        }
    }

    /// The generation to pass to ``remember(_:hash:generation:)`` after asking the database, or `nil` when the
    /// answer must not be cached (no listener).
    public func generationBeforeLookup() -> UInt64? {
        state.withLock { $0.listeners > 0 ? $0.generation : nil }
    }

    /// Keeps `token` unless a revocation or listener change happened since `generation` was read.
    public func remember(_ token: APIToken, hash: String, generation: UInt64) {
        let expires = ContinuousClock.now + maxAge
        state.withLock { state in
            guard state.listeners > 0, state.generation == generation, token.isActive else { return }
            if state.entries.count >= capacity {
                let now = ContinuousClock.now
                state.entries = state.entries.filter { $0.value.expires > now }
                if state.entries.count >= capacity { state.entries = [:] }
            }
            state.entries[hash] = Entry(token: token, expires: expires)
        }
    }

    /// Forgets the token with this id (it was revoked, here or on another replica).
    public func revoked(id: Int64) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { $0.value.token.id != id }
        }
    }

    /// Handles a ``ControlChannel`` payload: `token-revoked:<id>` forgets that token. Other payloads are ignored.
    public func handle(notification payload: String) {
        guard payload.hasPrefix(Self.revokedPrefix) else { return }
        if let id = Int64(payload.dropFirst(Self.revokedPrefix.count)) {
            revoked(id: id)
        } else {
            forgetAll()
        }
    }

    /// A listener is in place: from now on every revocation reaches this cache, so it may answer.
    public func listenerStarted() {
        state.withLock { state in
            state.listeners += 1
            state.generation &+= 1
            state.entries = [:]
        }
    }

    /// A listener stopped: revocations may be missed until another starts, so the cache empties and, with no
    /// listener left, stops answering.
    public func listenerStopped() {
        state.withLock { state in
            state.listeners = max(0, state.listeners - 1)
            state.generation &+= 1
            state.entries = [:]
        }
    }

    /// Forgets every token.
    public func forgetAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries = [:]
        }
    }
}
