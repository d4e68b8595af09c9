import GraphQL
import Synchronization

/// What every resolver receives as its GraphQL `context`: who is calling and where state lives.
final class ResolverContext: Sendable {
    /// The user the request's API key belongs to.
    let viewer: UserRecord
    /// The state as it was when the request started (queries read this one consistent snapshot).
    let snapshot: SandboxState
    /// Where mutations are applied.
    let store: SandboxStore
    /// Root response keys that ``QueueListWriter`` already wrote: their resolvers answer `null` at once and the
    /// response writer puts the written JSON in their place.
    let writtenRootKeys: Set<String>

    /// Whether a root field's resolver has started (the request got past validation and variable coercion).
    private let started = Mutex(false)
    /// Called once, when the first root field's resolver starts.
    private let onStart: @Sendable () async -> Void

    init(
        viewer: UserRecord, snapshot: SandboxState, store: SandboxStore, writtenRootKeys: Set<String> = [],
        onStart: @escaping @Sendable () async -> Void = {}
    ) {
        self.viewer = viewer
        self.snapshot = snapshot
        self.store = store
        self.writtenRootKeys = writtenRootKeys
        self.onStart = onStart
    }

    /// Marks that a root field is being resolved; the first call runs `onStart`.
    func rootFieldStarts() async {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        if first { await onStart() }
    }

    /// Whether any resolver ran.
    var hasStarted: Bool { started.withLock { $0 } }
}

/// A value of a GraphQL object type that computes its own fields.
///
/// The executable schema (``ExecutableSchema``) installs one resolver on every field of every object type; it
/// asks the source value for the field by name when the value is a `GraphQLNode`, and reads plain
/// `[String: any Sendable]` dictionaries by key. A node holds the state snapshot it was read from, so a
/// mutation's payload reflects the state right after that mutation.
protocol GraphQLNode: Sendable {
    func resolve(field: String, arguments: Map, context: ResolverContext) async throws -> (any Sendable)?
}

/// A GraphQL object value read by key. Values are optional so a `nil` stays a real `nil` (`null`).
typealias Object = [String: (any Sendable)?]

/// Relay-style connections over records ordered by serial.
enum Connection {
    /// Cursor for the record with `serial`.
    static func cursor(_ serial: Int) -> String {
        "cursor:\(serial)"
    }

    /// A page of `items` (already in order) after `after`, at most `first` long.
    static func page<Item>(
        _ items: [Item], serial: (Item) -> Int, first: Int?, after: String?, node: (Item) -> (any Sendable)?
    ) throws(SandboxError) -> Object {
        var remaining = items[...]
        if let after, !after.isEmpty {
            guard after.hasPrefix("cursor:"), let afterSerial = Int(after.dropFirst("cursor:".count)) else {
                throw .invalidInput("invalid cursor \"\(after)\"")
            }
            remaining = remaining.drop { serial($0) <= afterSerial }
        }
        if let first, first < 0 { throw .invalidInput("first must not be negative") }
        let page = first.map { Array(remaining.prefix($0)) } ?? Array(remaining)
        let edges: [(any Sendable)?] = page.map { item in ["cursor": cursor(serial(item)), "node": node(item)] as Object }
        let pageInfo: Object = [
            "startCursor": page.first.map { cursor(serial($0)) },
            "endCursor": page.last.map { cursor(serial($0)) },
            "hasNextPage": page.count < remaining.count,
            "hasPreviousPage": remaining.startIndex > items.startIndex,
        ]
        return ["edges": edges, "pageInfo": pageInfo]
    }
}

extension Map {
    /// A string argument, `nil` when absent or null.
    subscript(string key: String) -> String? { self[key].string }
    /// A boolean argument, `nil` when absent or null.
    subscript(bool key: String) -> Bool? { self[key].bool }
    /// An integer argument, `nil` when absent or null.
    subscript(int key: String) -> Int? { self[key].int }
    /// A list of strings, `nil` when absent or null.
    subscript(strings key: String) -> [String]? { self[key].array?.compactMap(\.string) }
}
