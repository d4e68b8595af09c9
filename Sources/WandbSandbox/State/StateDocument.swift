import Foundation
import HashTreeCollections

/// The `--state FILE` document kept as each record's encoded JSON, so that making a change durable re-encodes only
/// the records it wrote: a save joins the kept pieces (bytes copied, nothing encoded again) instead of encoding the
/// whole ``SandboxState``.
///
/// The pieces are persistent maps like the state's tables, so the store hands a copy to the save running off the
/// actor in O(1) while later changes update its own copy.
struct StateDocument: Sendable {
    private var formatVersion: Int
    private var lastSerial: Int
    /// Table → record id → `"<id>":<record JSON>`.
    private var members: [SandboxTable: TreeDictionary<String, Data>] = [:]

    /// Encodes every record of `state`.
    init(_ state: SandboxState) throws {
        formatVersion = state.formatVersion
        lastSerial = state.lastSerial
        try update(state.allRecordKeys, from: state)
    }

    /// Re-encodes the records `keys` name as `state` holds them (dropping those it no longer holds).
    mutating func update(_ keys: some Sequence<SandboxTableKey>, from state: SandboxState) throws {
        formatVersion = state.formatVersion
        lastSerial = state.lastSerial
        let encoder = Self.encoder()
        for key in keys {
            if let record = try state.encodedRecord(key, with: encoder) {
                var member = try encoder.encode(key.id)
                member.append(UInt8(ascii: ":"))
                member.append(record)
                members[key.table, default: [:]][key.id] = member
            } else {
                members[key.table]?.removeValue(forKey: key.id)
            }
        }
    }

    /// The whole document: the JSON object `SandboxState`'s `Codable` conformance reads.
    func data() -> Data {
        var data = Data()
        data.reserveCapacity(members.values.reduce(64) { total, table in table.values.reduce(total + 32) { $0 + $1.count + 1 } })
        data.append(contentsOf: Array("{\"formatVersion\":\(formatVersion),\"lastSerial\":\(lastSerial)".utf8))
        for table in SandboxTable.allCases {
            data.append(contentsOf: Array(",\"\(table.rawValue)\":{".utf8))
            var first = true
            for member in (members[table] ?? [:]).values {
                if !first { data.append(UInt8(ascii: ",")) }
                first = false
                data.append(member)
            }
            data.append(UInt8(ascii: "}"))
        }
        data.append(UInt8(ascii: "}"))
        return data
    }

    /// As the state file has always been written: compact, slashes unescaped.
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
