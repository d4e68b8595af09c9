import HashTreeCollections

/// The ids of records grouped by a key they are looked up by (a queue's project, an item's queue, ...), read oldest
/// first.
///
/// Persistent like the tables it indexes (``SandboxState``): a copy costs O(1) and a write after a copy copies only
/// the path to what it changes, O(log n), so a snapshot held by a request never makes a write copy the index.
struct GroupIndex<Key: Hashable & Sendable>: Sendable {
    /// Key → (id → serial).
    private var groups: TreeDictionary<Key, TreeDictionary<String, Int>> = [:]

    mutating func insert(_ id: String, serial: Int, under key: Key) {
        groups[key, default: [:]][id] = serial
    }

    mutating func remove(_ id: String, under key: Key) {
        groups[key]?.removeValue(forKey: id)
        if groups[key]?.isEmpty == true { groups.removeValue(forKey: key) }
    }

    /// The ids under `key`, oldest (lowest serial) first.
    func ids(under key: Key) -> [String] {
        guard let group = groups[key] else { return [] }
        return group.sorted { $0.value < $1.value }.map(\.key)
    }

    /// How many ids are under `key`.
    func count(under key: Key) -> Int { groups[key]?.count ?? 0 }
}

/// A name within a scope: a project's name in its entity, a queue's name in its project.
struct ScopedName: Hashable, Sendable {
    var scope: String
    var name: String
}
