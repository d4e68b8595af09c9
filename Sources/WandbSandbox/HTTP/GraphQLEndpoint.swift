import Foundation
import GraphQL
import Logging

/// `POST /graphql` without the HTTP server around it: authentication, reading the request, fault injection,
/// validation and execution. Returns what to answer; the route writes it.
struct GraphQLEndpoint: Sendable {
    /// An answer: an HTTP status with a JSON body, or a dropped connection.
    enum Reply: Sendable {
        case json(status: Int, body: [UInt8], retryAfter: Double? = nil)
        case drop
    }

    let schema: ExecutableSchema
    let store: SandboxStore
    let monitor: RequestMonitor
    let logger: Logger
    /// Whether ``QueueListWriter`` writes the queue lists it can (off: the executor resolves every field; tests
    /// compare the two).
    var writesQueueLists = true

    /// Handles one request whose body was already read.
    func handle(authorization: String?, body: [UInt8]) async -> Reply {
        guard let viewer = await authenticate(authorization) else {
            await monitor.rejected(as: "(unauthorized)")
            return Self.error(status: 401, "invalid or missing API key: use HTTP Basic auth with user \"api\" and the API key as password")
        }

        let request: GraphQLHTTPRequest
        do {
            request = try GraphQLHTTPRequest(body: body)
        } catch {
            await monitor.rejected(as: "(invalid)")
            return Self.error(status: 400, error.message)
        }

        guard QueryDepth.maximum(in: request.query) <= QueryDepth.limit else {
            await monitor.rejected(as: "(invalid)")
            return Self.error(status: 200, "the query nests deeper than \(QueryDepth.limit) levels")
        }
        let document: Document
        do {
            document = try parse(source: Source(body: request.query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            await monitor.rejected(as: "(invalid)")
            return Self.result(GraphQLResult(errors: [error]))
        } catch {
            await monitor.rejected(as: "(invalid)")
            return Self.error(status: 200, "\(error)")
        }

        let operation: OperationDefinition
        switch Self.selectOperation(in: document, named: request.operationName) {
        case .success(let found): operation = found
        case .failure(let error):
            await monitor.rejected(as: "(invalid)")
            return Self.result(GraphQLResult(errors: [error]))
        }
        let operationLabel = operation.name?.value ?? "(anonymous)"
        let introspection = IntrospectionFields.responseKeys(of: operation, in: document)
        let reply = await run(
            document: document, operation: operation, label: operationLabel, request: request, viewer: viewer, introspection: introspection)
        if logger.logLevel <= .debug {
            let status: String
            switch reply {
            case .json(let code, _, _): status = String(code)
            case .drop: status = "dropped"
            }
            logger.debug("graphql", metadata: ["operation": "\(operationLabel)", "user": "\(viewer.username)", "status": "\(status)"])
        }
        return reply
    }

    /// Fault injection, validation and execution of an authenticated, readable request.
    private func run(
        document: Document, operation: OperationDefinition, label operationLabel: String, request: GraphQLHTTPRequest,
        viewer: UserRecord, introspection: Set<String>
    ) async -> Reply {
        let isMutation = operation.operation == .mutation
        let decision = await monitor.arrived(
            operation: operationLabel, isMutation: isMutation, selectsIntrospection: !introspection.isEmpty,
            rootFields: operation.selectionSet.selections.count)
        if decision.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(decision.latencyMilliseconds))
        }
        switch decision.outcome {
        case .drop?:
            return .drop
        case .status(let status, let retryAfter, false)?:
            return Self.error(status: status, "sandbox injected HTTP \(status) for \(operationLabel)", retryAfter: retryAfter)
        default:
            break
        }

        let validationErrors = validate(schema: schema.schema, ast: document)
        let reply: Reply
        if !validationErrors.isEmpty {
            await monitor.rejected(mutation: isMutation)
            reply = Self.result(GraphQLResult(errors: validationErrors))
        } else {
            reply = await execute(
                document: document, operation: operation, variables: request.variables, viewer: viewer,
                omitting: decision.omitsIntrospection ? introspection : [])
        }

        if case .status(let status, let retryAfter, true)? = decision.outcome {
            return Self.error(status: status, "sandbox injected HTTP \(status) for \(operationLabel)", retryAfter: retryAfter)
        }
        return reply
    }

    /// The user whose API key is the password of an HTTP Basic `Authorization` header.
    func authenticate(_ header: String?) async -> UserRecord? {
        guard let header, header.count < 8192 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let credentials = String(data: decoded, encoding: .utf8),
            let colon = credentials.firstIndex(of: ":")
        else { return nil }
        let key = String(credentials[credentials.index(after: colon)...])
        guard !key.isEmpty else { return nil }
        return await store.snapshot().user(apiKey: key)
    }

    /// Executes a validated operation. Variables are coerced before any resolver runs (as graph-gophers/graphql-go
    /// does on W&B): a mutation refused there counts as rejected, not as a mutation. `omitting` names root response
    /// keys left out of `data` (introspection switched off).
    private func execute(
        document: Document, operation: OperationDefinition, variables: [String: Map], viewer: UserRecord, omitting: Set<String>
    ) async -> Reply {
        let isMutation = operation.operation == .mutation
        // Re-read the viewer from the snapshot the request executes against.
        let snapshot = await store.snapshot()
        let reader = snapshot.users[viewer.id] ?? viewer
        let written = writesQueueLists
            ? QueueListWriter.write(operation: operation, variables: variables, state: snapshot, viewer: reader) : [:]
        let context = ResolverContext(
            viewer: reader, snapshot: snapshot, store: store, writtenRootKeys: Set(written.keys),
            onStart: { [monitor] in await monitor.executing(mutation: isMutation) })
        let reply: Reply
        do {
            let result = try await GraphQL.execute(
                schema: schema.schema, documentAST: document, rootValue: ExecutableSchema.RootValue(), context: context,
                variableValues: variables, operationName: operation.name?.value)
            reply = .json(status: 200, body: GraphQLResponseWriter.json(result, omittingRootKeys: omitting, replacingRootKeys: written))
        } catch let error as GraphQLError {
            reply = Self.result(GraphQLResult(errors: [error]))
        } catch {
            reply = Self.result(GraphQLResult(errors: [GraphQLError(message: "\(error)")]))
        }
        if !context.hasStarted { await monitor.rejected(mutation: isMutation) }
        return reply
    }

    /// The operation to run: the one named (an empty name counts as none, as the SDK sends `""`), or the only one.
    static func selectOperation(in document: Document, named name: String?) -> Result<OperationDefinition, GraphQLError> {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        if let name {
            guard let match = operations.first(where: { $0.name?.value == name }) else {
                return .failure(GraphQLError(message: "Unknown operation named \"\(name)\"."))
            }
            return .success(match)
        }
        guard operations.count == 1 else {
            return .failure(GraphQLError(
                message: operations.isEmpty ? "Must provide an operation." : "Must provide operation name if query contains multiple operations."))
        }
        return .success(operations[0])
    }

    static func result(_ result: GraphQLResult) -> Reply {
        .json(status: 200, body: GraphQLResponseWriter.json(result))
    }

    /// A GraphQL-shaped error body: `{"errors":[{"message": ...}]}`.
    static func error(status: Int, _ message: String, retryAfter: Double? = nil) -> Reply {
        .json(status: status, body: errorBody(message), retryAfter: retryAfter)
    }

    static func errorBody(_ message: String) -> [UInt8] {
        Array(JSONValue.object([("errors", .array([.object([("message", .string(message))])]))]).compactText.utf8)
    }
}
