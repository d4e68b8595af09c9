import Foundation
import Logging
import PostgresNIO

/// Whether scheduled reconciliation is suspended, shared by every replica (table `scheduler_control`).
public struct Suspension: Sendable, Hashable, Codable {
    public var suspended: Bool
    /// Who last suspended or resumed (an API token's actor), if anyone has.
    public var changedBy: String?
    /// When, on the database clock.
    public var changedAt: Date

    public init(suspended: Bool, changedBy: String?, changedAt: Date) {
        self.suspended = suspended
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}

/// Suspend and resume on PostgreSQL: one row, changed by any replica, announced on ``ControlChannel``.
public struct PostgresSchedulerControlRepository: Sendable {
    let store: PostgresStore

    /// The suspension as it stands.
    public func suspension() async throws -> Suspension {
        let rows = try await store.query(
            "reading whether reconciliation is suspended",
            "SELECT suspended, changed_by, changed_at FROM scheduler_control WHERE singleton")
        guard let row = rows.first else { return Suspension(suspended: false, changedBy: nil, changedAt: Date()) }
        return try Self.decode(row)
    }

    /// Suspends (`true`) or resumes (`false`) scheduled reconciliation on every replica, as `actor`; notifies listeners.
    @discardableResult
    public func setSuspended(_ suspended: Bool, by actor: String) async throws -> Suspension {
        let payload = suspended ? "suspend" : "resume"
        let rows = try await store.query(
            suspended ? "suspending reconciliation" : "resuming reconciliation",
            """
            WITH changed AS (
                UPDATE scheduler_control SET suspended = \(suspended), changed_by = \(actor), changed_at = now()
                WHERE singleton RETURNING suspended, changed_by, changed_at
            )
            SELECT suspended, changed_by, changed_at, pg_notify(\(ControlChannel.name), \(payload)) FROM changed
            """)
        guard let row = rows.first else {
            throw StoreError(code: .database, message: "the scheduler_control row is missing; run launchq migrate")
        }
        return try Self.decode(row)
    }

    static func decode(_ row: PostgresRow) throws -> Suspension {
        let columns = row.makeRandomAccess()
        return Suspension(
            suspended: try columns["suspended"].decode(Bool.self), changedBy: try columns["changed_by"].decode(String?.self),
            changedAt: try columns["changed_at"].decode(Date.self))
    }
}
