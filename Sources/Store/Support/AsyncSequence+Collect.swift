extension AsyncSequence {
    /// Collects every element (decoded PostgresNIO row sequences have no `collect()`).
    func all() async throws -> [Element] {
        var result: [Element] = []
        for try await element in self { result.append(element) }
        return result
    }
}
