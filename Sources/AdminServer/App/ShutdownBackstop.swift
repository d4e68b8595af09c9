import Dispatch
import Logging
import ServiceLifecycle

/// Ends the process when a graceful shutdown takes longer than `limit`: the scheduler gives up on a run after
/// ``AdminServer/Configuration/shutdownTimeout``, but something else (a connection pool closing connections to a
/// database that is gone) could still hold the exit. Put it in the service group; it waits for the shutdown to begin,
/// then arms a timer that calls `expire` (for `serve`: exit with status 0) unless the process ended before.
public struct ShutdownBackstop: Service {
    let limit: Duration
    let logger: Logger
    let expire: @Sendable () -> Void

    public init(limit: Duration, logger: Logger, expire: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.logger = logger
        self.expire = expire
    }

    public func run() async throws {
        // Returns when graceful shutdown begins; throws when cancelled, which is a shutdown too.
        try? await gracefulShutdown()
        let (limit, logger, expire) = (limit, logger, expire)
        let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
            logger.error("shutdown did not finish within \(limit); exiting without waiting any longer")
            expire()
        }
    }
}
