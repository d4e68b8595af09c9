import Store

/// The counts summary of `GET /v1/objects`, computed once per change of the objects and shared by every request.
///
/// The summary is an aggregate over every row of the filter (tens of milliseconds at 10,000 objects); here it is
/// kept per filter with the objects' version it was read at (``ObjectStatusRepository/version()``: from memory while
/// the control listener runs, else a single-row read) and recomputed only when that version moved. Reads of the version and of a summary are shared by the
/// requests that arrive while one is in flight. A request's `ETag` may then come from a snapshot up to one query
/// older than its arrival, never newer than its page (the page is read afterwards), so a poller never keeps a copy
/// older than the tag it was given; the next poll sees any later change.
actor ObjectSummaries {
    /// At most this many filters are remembered (filters come from query strings; when full, all are forgotten).
    static let capacity = 64

    private var cached: [ObjectFilter: ObjectSummary] = [:]
    private var inFlight: [ObjectFilter: Task<ObjectSummary, any Error>] = [:]
    private var versionRead: Task<Int64, any Error>?
    /// Summaries computed (not answered from memory) since this was made.
    private(set) var computed = 0
    /// Requests waiting for a summary in flight now.
    private(set) var waiting = 0

    /// The summary of `filter` as of the objects' current version: from memory, from the query in flight, or new.
    ///
    /// While the objects change continuously (a reconcile records every step), the query in flight may answer an
    /// older version than a waiter needs; then one waiter starts the next query and the others share it, rather
    /// than each starting its own.
    func summary(_ filter: ObjectFilter, store: any ObjectStatusRepository) async throws -> ObjectSummary {
        let version = try await currentVersion(store)
        while true {
            if let summary = cached[filter], summary.version >= version { return summary }
            guard let running = inFlight[filter] else { break }
            waiting += 1
            let result = await running.result
            waiting -= 1
            let summary = try result.get()
            keep(summary, for: filter)
            if summary.version >= version { return summary }
            if inFlight[filter] == running { inFlight[filter] = nil }
        }
        let task = Task { try await store.summary(filter) }
        inFlight[filter] = task
        computed += 1
        defer { if inFlight[filter] == task { inFlight[filter] = nil } }
        // Read after `version` was known, so it is at least that new.
        let summary = try await task.value
        keep(summary, for: filter)
        return summary
    }

    /// Remembers `summary` unless a newer one of `filter` is kept.
    private func keep(_ summary: ObjectSummary, for filter: ObjectFilter) {
        guard (cached[filter]?.version ?? .min) < summary.version else { return }
        if cached[filter] == nil, cached.count >= Self.capacity { cached = [:] }
        cached[filter] = summary
    }

    /// The objects' version, from the read in flight or a new one.
    private func currentVersion(_ store: any ObjectStatusRepository) async throws -> Int64 {
        if let running = versionRead { return try await running.value }
        let task = Task { try await store.version() }
        versionRead = task
        defer { if versionRead == task { versionRead = nil } }
        return try await task.value
    }
}
