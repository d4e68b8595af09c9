import Logging
import PostgresNIO

/// The PostgreSQL channel (`LISTEN`/`NOTIFY`) on which replicas announce what the others must notice at once: a
/// reconcile request was recorded (`reconcile:<id>`), scheduled reconciliation was suspended or resumed
/// (`suspend` / `resume`), an API token was revoked (`token-revoked:<id>`: every replica's ``TokenCache`` forgets it),
/// a transaction that wrote objects committed (`objects-version:<n>`, from the objects' version trigger: every
/// replica's ``ObjectsVersionCache`` learns it; it is not passed on). Other notifications only wake listeners; what
/// they announce is read from the tables.
public enum ControlChannel {
    /// The channel name.
    public static let name = "launchq_control"
}

extension PostgresStore {
    /// Listens on ``ControlChannel`` with one pooled connection and calls `notified` with each payload (but the objects'
    /// versions, which only ``objectsVersion`` needs), until the
    /// task is cancelled (then returns) or the connection fails (then throws a ``StoreError``; listen again after a pause).
    ///
    /// `listening` is called once the `LISTEN` is in place: notifications sent after that are not missed.
    public func listenForControl(
        listening: @escaping @Sendable () -> Void = {}, _ notified: @escaping @Sendable (String) -> Void
    ) async throws {
        do {
            // Not through `bounded` (a listen lasts), so it waits for the pool on its own (see ``PoolStart``).
            try await poolStart.wait()
            try await client.withConnection { [tokenCache, objectsVersion] connection in
                try await connection.listen(on: ControlChannel.name) { notifications in
                    // While this runs, revocations (`token-revoked:<id>`) reach the token cache and committed
                    // versions (`objects-version:<n>`) the version cache, so they may answer.
                    tokenCache.listenerStarted()
                    objectsVersion.listenerStarted()
                    defer {
                        tokenCache.listenerStopped()
                        objectsVersion.listenerStopped()
                    }
                    listening()
                    for try await notification in notifications {
                        if objectsVersion.handle(notification: notification.payload) { continue }
                        tokenCache.handle(notification: notification.payload)
                        notified(notification.payload)
                    }
                }
            }
        } catch {
            if Task.isCancelled { return }
            throw StoreError.wrapping(error, database: configuration, while: "listening for control notifications")
        }
    }
}
