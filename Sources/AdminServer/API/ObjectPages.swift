import NIOCore
import Store

/// Rendered pages of `GET /v1/objects`, shared by the requests that ask for the same page of the same snapshot.
///
/// A page is kept under its query, the version of the summary it was answered with, and the `ETag` (which also
/// covers the backlog). The summary's version is the objects' current one (``ObjectSummaries``), and the page was
/// read after it, so while the version stays the page is still exact: pollers and dashboards that ask for the same
/// page cost neither a query nor the encoding. Reads of one key in flight are shared too. Pages of an older
/// version are dropped first when the cache is full.
actor ObjectPages {
    /// Pages kept at most (a page of 1,000 objects is about 300 KiB).
    static let capacity = 16

    struct Key: Hashable, Sendable {
        var query: ObjectsQuery
        var version: Int64
        var entityTag: String
    }

    private var cached: [Key: ByteBuffer] = [:]
    private var inFlight: [Key: Task<ByteBuffer, any Error>] = [:]
    /// Pages read and encoded (not answered from memory) since this was made.
    private(set) var rendered = 0

    /// The body for `key`: from memory, from the read in flight, or from `render` (read the page and encode it).
    func body(for key: Key, render: @escaping @Sendable () async throws -> ByteBuffer) async throws -> ByteBuffer {
        if let body = cached[key] { return body }
        if let running = inFlight[key] { return try await running.value }
        let task = Task { try await render() }
        inFlight[key] = task
        rendered += 1
        defer { inFlight[key] = nil }
        let body = try await task.value
        if cached.count >= Self.capacity {
            let newest = cached.keys.map(\.version).max() ?? key.version
            cached = cached.filter { $0.key.version >= newest }
            if cached.count >= Self.capacity { cached = [:] }
        }
        cached[key] = body
        return body
    }
}
