import Foundation

/// A held (or observed) leader lease. Times are the database's clock, so replicas need no synchronised clocks.
public struct Lease: Sendable, Hashable, Codable {
    /// Who holds it (a replica id such as `hostname:pid`).
    public var holder: String
    /// Increases every time the lease changes hands; a fencing token for the holder's writes.
    public var term: Int64
    public var acquiredAt: Date
    public var expiresAt: Date

    public init(holder: String, term: Int64, acquiredAt: Date, expiresAt: Date) {
        self.holder = holder
        self.term = term
        self.acquiredAt = acquiredAt
        self.expiresAt = expiresAt
    }
}

/// One active reconciler among replicas: a lease with a holder, a term and an expiry.
///
/// The leader calls ``renew(holder:term:duration:)`` well before expiry (for example every third of
/// `duration`) and stops reconciling when it returns `nil`.
public protocol LeaderLease: Sendable {
    /// Takes the lease for `holder` if it is free or expired (or already held by `holder`); `nil` if another
    /// holder's lease is still running.
    func acquire(holder: String, duration: Duration) async throws -> Lease?
    /// Extends a lease still held by `holder` in `term`; `nil` if it was lost (expired and taken, or released).
    func renew(holder: String, term: Int64, duration: Duration) async throws -> Lease?
    /// Gives the lease up at once so another replica can take it; `true` if it was held.
    @discardableResult
    func release(holder: String, term: Int64) async throws -> Bool
    /// The lease as it stands (possibly expired), or `nil` if never taken.
    func current() async throws -> Lease?
}
