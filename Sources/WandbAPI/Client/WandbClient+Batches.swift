import Logging

extension WandbClient {
    /// Reads `items` in batches of ``Configuration/batchSize`` (or the smaller size the server has shown it
    /// copes with), up to ``Configuration/maximumConcurrentRequests`` batches at once.
    ///
    /// A batch whose request timed out, got a 5xx answer or was refused as too complex is halved and each half
    /// read again, down to single items (which are retried as any read). The smaller size is remembered for the
    /// client's later batches.
    ///
    /// - Parameters:
    ///   - operation: the operation's name, for logs.
    ///   - read: reads one batch; `splittable` tells it the batch has more than one item.
    /// - Returns: the results of every batch, in the order of `items`.
    func inAdaptiveBatches<Item: Sendable, Result: Sendable>(
        _ items: [Item], operation: String,
        _ read: @escaping @Sendable (_ batch: [Item], _ splittable: Bool) async throws -> [Result]
    ) async throws -> [Result] {
        let size = min(configuration.batchSize, cache.batchLimit ?? .max)
        let batches = items.chunked(into: size)
        let results = try await concurrentMap(batches, limit: configuration.maximumConcurrentRequests) { batch in
            try await self.readAdapting(batch, operation: operation, read)
        }
        return Array(results.joined())
    }

    private func readAdapting<Item: Sendable, Result: Sendable>(
        _ batch: [Item], operation: String,
        _ read: @escaping @Sendable (_ batch: [Item], _ splittable: Bool) async throws -> [Result]
    ) async throws -> [Result] {
        if let limit = cache.batchLimit, batch.count > limit {
            var results: [Result] = []
            for part in batch.chunked(into: limit) { results += try await readAdapting(part, operation: operation, read) }
            return results
        }
        do {
            return try await read(batch, batch.count > 1)
        } catch let error as WandbAPIError where batch.count > 1 && error.suggestsSmallerBatch {
            let half = (batch.count + 1) / 2
            cache.limitBatches(to: half)
            stats.recordBatchSplit()
            logger.notice(
                "W&B read batch halved",
                metadata: [
                    "operation": "\(operation)", "from": "\(batch.count)", "to": "\(half)", "reason": "\(error.message)",
                ])
            var results = try await readAdapting(Array(batch[..<half]), operation: operation, read)
            results += try await readAdapting(Array(batch[half...]), operation: operation, read)
            return results
        }
    }
}
