import Tracing

extension PostgresStore {
    /// Every database call goes through here: one client span around ``boundedWithoutSpan(_:timeout:_:)``, named after
    /// the call's short description (such as "storing a revision" or "renewing the leader lease").
    ///
    /// The span holds the database system and, on failure, the ``StoreError`` code: never SQL text or parameters.
    func bounded<Result: Sendable>(
        _ operation: String, timeout: Duration?, _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withSpan(Self.spanName(operation), ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            do {
                return try await boundedWithoutSpan(operation, timeout: timeout, work)
            } catch let error as StoreError {
                span.attributes["launchq.store.error.code"] = "\(error.code)"
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }

    /// `operation` without the numbers some descriptions carry ("reading revision 12" is "reading revision"), so
    /// spans of the same call share one name.
    static func spanName(_ operation: String) -> String {
        operation.split(separator: " ").filter { word in !word.allSatisfy(\.isNumber) }.joined(separator: " ")
    }
}
