import Logging
import PostgresNIO

extension PostgresStore {
    /// Whether the store can serve: for `/readyz`.
    public enum Readiness: Sendable {
        /// Reachable and every embedded migration is applied.
        case ready
        /// Reachable, but these migrations still have to run (`launchq migrate`).
        case migrationsPending([Migration])
        /// Not usable: unreachable, too slow, or a schema this binary refuses (see the error's code and message).
        case unavailable(StoreError)

        /// `true` only for ``ready``.
        public var isReady: Bool {
            if case .ready = self { return true }
            return false
        }
    }

    /// Checks reachability and the migration state through the pool, giving up after `timeout`.
    ///
    /// Never throws: a failure or a timeout becomes ``Readiness/unavailable(_:)`` with a message naming host and port.
    public func readiness(timeout: Duration = .seconds(2), migrations: [Migration] = Migration.embedded) async -> Readiness {
        let migrator = Migrator(store: self, migrations: migrations)
        let configuration = self.configuration
        do {
            return try await withThrowingTaskGroup(of: Readiness?.self) { group in
                group.addTask {
                    let pending = try await migrator.pending()
                    return pending.isEmpty ? .ready : .migrationsPending(pending)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    return .unavailable(
                        .unreachable(host: configuration.host, port: configuration.port, reason: "no answer within \(timeout)"))
                }
                return result
            }
        } catch {
            return .unavailable(StoreError.wrapping(error, database: configuration, while: "checking readiness"))
        }
    }
}
