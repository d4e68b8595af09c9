import Foundation
import Hummingbird
import JSON
import Store

/// The query of `GET /v1/objects` (and of the status page): filter, page size and the opaque cursor.
struct ObjectsQuery: Sendable, Hashable {
    /// The page size without `limit`.
    static let defaultLimit = 500
    /// The largest `limit` accepted: two default pages; larger pages only cost the poller memory and latency.
    static let maximumLimit = 1000

    var filter: ObjectFilter
    var limit: Int
    /// The last object of the previous page (decoded from `cursor`), `nil` for the first page.
    var after: ObjectKey?

    init(filter: ObjectFilter, limit: Int, after: ObjectKey?) {
        self.filter = filter
        self.limit = limit
        self.after = after
    }

    /// Reads `kind`, `state`, `entity`, `limit` and `cursor`; a wrong value is a 400 naming the parameter.
    init(_ request: Request, defaultLimit: Int = Self.defaultLimit) throws {
        let query = request.uri.queryParameters
        filter = ObjectFilter(kind: query["kind"].map(String.init), entity: query["entity"].map(String.init))
        if let text = query["state"] {
            guard let value = ObjectState(rawValue: String(text)) else {
                throw APIError.badRequest(
                    "state must be one of \(ObjectState.allCases.map(\.rawValue).joined(separator: ", "))",
                    details: .object(["parameter": .string("state")]))
            }
            filter.state = value
        }
        limit = defaultLimit
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...Self.maximumLimit).contains(value) else {
                throw APIError.badRequest(
                    "limit must be an integer from 1 to \(Self.maximumLimit)", details: .object(["parameter": .string("limit")]))
            }
            limit = value
        }
        if let text = query["cursor"] {
            guard let key = Self.key(fromCursor: String(text)) else {
                throw APIError.badRequest(
                    "cursor must be the nextCursor of a previous page", details: .object(["parameter": .string("cursor")]))
            }
            after = key
        }
    }

    /// The opaque cursor that continues after `key`: base64url (no padding) of `kind`, a newline, `identity`.
    static func cursor(after key: ObjectKey) -> String {
        Data((key.kind + "\n" + key.identity).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The key a ``cursor(after:)`` encodes, or `nil` when `text` is not one.
    static func key(fromCursor text: String) -> ObjectKey? {
        guard !text.isEmpty, text.count <= 4096, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
            let newline = decoded.firstIndex(of: "\n")
        else { return nil }
        let kind = String(decoded[..<newline])
        guard !kind.isEmpty else { return nil }
        return ObjectKey(kind: kind, identity: String(decoded[decoded.index(after: newline)...]))
    }

    /// The `ETag` of a listing whose objects have this summary: the same for the same objects, fields and page.
    static func entityTag(_ summary: ObjectSummary) -> String { "\"\(summary.fingerprint)\"" }

    /// Whether `If-None-Match` names `tag` (or is `*`), so the poller's copy is current.
    static func matches(_ request: Request, tag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        return header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
}
