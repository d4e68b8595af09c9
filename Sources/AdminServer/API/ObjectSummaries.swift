import Store

/// Shares one summary query among the `GET /v1/objects` requests that ask for the same filter at the same time.
///
/// Under a burst of pollers the aggregate (a scan of the filter's rows) would run once per request; here a request
/// that arrives while one for its filter is in flight waits for that one. Its `ETag` may then come from a snapshot
/// up to one query older than its arrival, never newer than its page (the page is read afterwards), so a poller
/// never keeps a copy older than the tag it was given; the next poll sees any later change.
actor ObjectSummaries {
    private var inFlight: [ObjectFilter: Task<ObjectSummary, any Error>] = [:]

    /// The summary of `filter`, from the query in flight for it or from a new one.
    func summary(_ filter: ObjectFilter, store: any ObjectStatusRepository) async throws -> ObjectSummary {
        if let running = inFlight[filter] { return try await running.value }
        let task = Task { try await store.summary(filter) }
        inFlight[filter] = task
        defer { inFlight[filter] = nil }
        return try await task.value
    }
}
