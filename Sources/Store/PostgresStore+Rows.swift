import PostgresNIO

extension PostgresStore {
    /// Runs one query on the pool and decodes each row as it arrives, as ``query(_:_:)`` does but without collecting
    /// the rows first: a collected row keeps the whole read buffer it was sliced from, so collecting a fleet's
    /// statuses held ~90 MB of buffers for 10,000 rows (issue 13); decoded values are copies.
    func query<T: Sendable>(
        _ operation: String, _ query: PostgresQuery, decoding decode: @escaping @Sendable (PostgresRow) throws -> T
    ) async throws -> [T] {
        try await bounded(operation, timeout: nil) { [client, logger] in
            var decoded: [T] = []
            for try await row in try await client.query(query, logger: logger) { decoded.append(try decode(row)) }
            return decoded
        }
    }

    /// Runs one query on the pool and folds each row into `initial` as it arrives: neither the rows nor an array of
    /// decoded rows is held (a fleet's worth of rows read into one dictionary, issue 13).
    func query<T: Sendable>(
        _ operation: String, _ query: PostgresQuery, into initial: T, _ update: @escaping @Sendable (inout T, PostgresRow) throws -> Void
    ) async throws -> T {
        try await bounded(operation, timeout: nil) { [client, logger] in
            var result = initial
            for try await row in try await client.query(query, logger: logger) { try update(&result, row) }
            return result
        }
    }
}

