import Logging
import PostgresNIO

/// The PostgreSQL channel (`LISTEN`/`NOTIFY`) on which replicas announce what the others must notice at once: a
/// reconcile request was recorded (`reconcile:<id>`), scheduled reconciliation was suspended or resumed
/// (`suspend` / `resume`), an API token was revoked (`token-revoked:<id>`: every replica's ``TokenCache`` forgets it).
/// A notification only wakes listeners; what it announces is read from the tables.
public enum ControlChannel {
    /// The channel name.
    public static let name = "launchq_control"
}

extension PostgresStore {
    /// Listens on ``ControlChannel`` with one pooled connection and calls `notified` with each payload, until the
    /// task is cancelled (then returns) or the connection fails (then throws a ``StoreError``; listen again after a pause).
    ///
    /// `listening` is called once the `LISTEN` is in place: notifications sent after that are not missed.
    public func listenForControl(
        listening: @escaping @Sendable () -> Void = {}, _ notified: @escaping @Sendable (String) -> Void
    ) async throws {
        do {
            // Not through `bounded` (a listen lasts), so it waits for the pool on its own (see ``PoolStart``).
            try await poolStart.wait()
            try await client.withConnection { [tokenCache] connection in
                try await connection.listen(on: ControlChannel.name) { notifications in
                    // While this runs, revocations (`token-revoked:<id>`) reach the token cache, so it may answer.
                    tokenCache.listenerStarted()
                    defer { tokenCache.listenerStopped() }
                    listening()
                    for try await notification in notifications {
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
