import GraphQL

/// The introspection root fields (`__schema`, `__type`) an operation selects, by response key (the alias, else the
/// field name), looking through inline fragments and fragment spreads at the root.
///
/// Used to count introspection requests and, with introspection switched off (``FaultPlan/introspectionDisabled``),
/// to leave those keys out of the answer's `data`: what a W&B server started with
/// `GORILLA_GRAPHQL_DISABLE_INTROSPECTION` answers (no schema data, HTTP 200, no error; graph-gophers/graphql-go,
/// the library W&B's error texts come from, skips these selections when introspection is disabled).
enum IntrospectionFields {
    static let names: Set<String> = ["__schema", "__type"]

    /// The response keys of the introspection fields at the root of `operation`.
    static func responseKeys(of operation: OperationDefinition, in document: Document) -> Set<String> {
        var fragments: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in document.definitions {
            fragments[fragment.name.value] = fragment
        }
        var keys: Set<String> = []
        var visited: Set<String> = []
        collect(operation.selectionSet, fragments: fragments, visited: &visited, into: &keys)
        return keys
    }

    private static func collect(
        _ selectionSet: SelectionSet, fragments: [String: FragmentDefinition], visited: inout Set<String>, into keys: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case let field as Field:
                if names.contains(field.name.value) { keys.insert(field.alias?.value ?? field.name.value) }
            case let inline as InlineFragment:
                collect(inline.selectionSet, fragments: fragments, visited: &visited, into: &keys)
            case let spread as FragmentSpread:
                let name = spread.name.value
                guard let fragment = fragments[name], visited.insert(name).inserted else { continue }
                collect(fragment.selectionSet, fragments: fragments, visited: &visited, into: &keys)
            default:
                continue
            }
        }
    }
}
