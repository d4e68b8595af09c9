import GraphQL

/// ``SandboxSchema/sdl`` built into a GraphQLSwift schema with the sandbox's resolvers installed.
///
/// GraphQLSwift builds SDL schemas without resolvers; this wraps every object type's field thunk so each field
/// asks its source value (a ``GraphQLNode`` or a plain dictionary) for its value.
struct ExecutableSchema: Sendable {
    let schema: GraphQLSchema

    /// - Parameter removed: mutations to leave out of `Mutation` (an older server's schema).
    init(removingMutations removed: Set<String> = []) throws {
        let schema = try buildSchema(source: Self.sdl(removingMutations: removed))
        // (`forEach`, not `for in`: iterating an OrderedDictionary directly would need OrderedCollections.)
        schema.typeMap.forEach { _, type in
            guard let object = type as? GraphQLObjectType, !object.name.hasPrefix("__") else { return }
            let base = object.fields
            object.fields = {
                let fields = try base()
                fields.forEach { _, field in field.resolve = Self.resolve }
                return fields
            }
        }
        if let jsonString = schema.getType(name: "JSONString") as? GraphQLScalarType {
            // A JSONString input must be a GraphQL string holding JSON (not a JSON object).
            jsonString.parseValue = { value in
                guard case .string = value else { throw GraphQLError(message: "JSONString must be a string containing JSON") }
                return value
            }
            jsonString.parseLiteral = { literal in
                guard let string = literal as? StringValue else {
                    throw GraphQLError(message: "JSONString must be a string containing JSON")
                }
                return .string(string.value)
            }
        }
        let problems = validateSchema(schema: schema)
        guard problems.isEmpty else { throw problems[0] }
        self.schema = schema
    }

    @Sendable
    private static func resolve(source: any Sendable, arguments: Map, context: any Sendable, info: GraphQLResolveInfo) async throws -> (any Sendable)? {
        guard let context = context as? ResolverContext else { return nil }
        if let node = source as? any GraphQLNode {
            return try await node.resolve(field: info.fieldName, arguments: arguments, context: context)
        }
        if let object = source as? Object {
            return object[info.fieldName] ?? nil
        }
        if source is RootValue {
            await context.rootFieldStarts()
            if !context.writtenRootKeys.isEmpty, let field = info.fieldASTs.first,
                context.writtenRootKeys.contains(field.alias?.value ?? field.name.value)
            {
                return nil
            }
        }
        switch info.operation.operation {
        case .query where source is RootValue:
            return try await QueryRoot().resolve(field: info.fieldName, arguments: arguments, context: context)
        case .mutation where source is RootValue:
            return try await MutationRoot().resolve(field: info.fieldName, arguments: arguments, context: context)
        default: return nil
        }
    }

    /// ``SandboxSchema/sdl`` without the `Mutation` fields named in `removed` (one field per line there).
    static func sdl(removingMutations removed: Set<String>) -> String {
        guard !removed.isEmpty else { return SandboxSchema.sdl }
        var inMutation = false
        var lines: [Substring] = []
        for line in SandboxSchema.sdl.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("type Mutation") { inMutation = true } else if line.hasPrefix("}") { inMutation = false }
            let field = line.drop { $0 == " " }.prefix { $0 != "(" && $0 != ":" }
            if inMutation, removed.contains(String(field)) { continue }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The root value passed to the executor.
    struct RootValue: Sendable {}
}
