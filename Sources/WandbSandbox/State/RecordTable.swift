import HashTreeCollections

/// One of ``SandboxState``'s tables: records by id, in a persistent hash trie (copies cost O(1); a write after a
/// copy copies only the path to the record, O(log n)). Encoded as a JSON object by id, as a dictionary is.
struct RecordTable<Record: Codable & Sendable>: Codable, Sendable {
    private var records: TreeDictionary<String, Record> = [:]

    init() {}

    subscript(id: String) -> Record? {
        get { records[id] }
        set { records[id] = newValue }
    }

    /// The records, in no particular order.
    var values: some Collection<Record> { records.values }
    /// The ids, in no particular order.
    var keys: some Collection<String> { records.keys }
    var isEmpty: Bool { records.isEmpty }
    var count: Int { records.count }

    @discardableResult
    mutating func removeValue(forKey id: String) -> Record? { records.removeValue(forKey: id) }

    init(from decoder: any Decoder) throws {
        records = try TreeDictionary(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try records.encode(to: encoder)
    }
}
