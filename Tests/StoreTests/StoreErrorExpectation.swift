import Store
import Testing

/// Runs `body` and returns the ``StoreError`` it throws (recording an issue if it throws nothing or something else).
func storeError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(type(of: error))", sourceLocation: sourceLocation)
        return nil
    }
}
