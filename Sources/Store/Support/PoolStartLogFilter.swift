import Logging

/// The pool's background log handler: PostgresNIO's "`run()` hasn't been called yet" warning becomes a debug line
/// once ``PoolStart`` is open.
///
/// ``PoolStart`` holds every database call until the pool's `run()` is entered, but a call it lets through runs on
/// another thread and may lease a connection in the instant between ``PoolStart/open()`` and `run()` marking the
/// pool as running. Such a lease only waits for the pool, which is starting; warning about it would be noise on
/// every clean start. Before ``PoolStart`` opens, the warning stays a warning: then it means a real misuse.
struct PoolStartLogFilter: LogHandler {
    static let notRunningWarning = "Trying to lease connection from `PostgresClient`, but `PostgresClient.run()` hasn't been called yet."

    var inner: any LogHandler
    let poolStart: PoolStart

    func log(event: LogEvent) {
        var event = event
        if event.level == .warning, poolStart.isOpen, event.message.description == Self.notRunningWarning {
            event.level = .debug
            guard event.level >= inner.logLevel else { return }
        }
        inner.log(event: event)
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
}
