import Hummingbird
import NIOCore
import Reconciler
import Store
import WandbModel

extension Representation {
    /// A page of `GET /v1/objects`: `{"backlog", "count", "counts", "nextCursor", "objects", "total"}` (sorted keys, as
    /// `CanonicalJSON` writes them). `count` is this page's objects; `counts` (every state, zeros included) and
    /// `total` cover the whole filter.
    /// `backlog`: the managed queues' backlog (``writeBacklog(_:for:into:)``, this page's queues only).
    static func objectsPage(_ page: ObjectPage, summary: ObjectSummary, entityTag: String, backlog: BacklogSnapshot = .empty) -> Response {
        objectsPage(body: objectsPageBody(page, summary: summary, backlog: backlog), entityTag: entityTag)
    }

    /// The `200` answer of `GET /v1/objects` with a body from ``objectsPageBody(_:summary:backlog:)``.
    static func objectsPage(body: ByteBuffer, entityTag: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .eTag: entityTag, .cacheControl: "no-cache"],
            body: .init(byteBuffer: body))
    }

    /// The JSON of ``objectsPage(_:summary:entityTag:backlog:)``.
    static func objectsPageBody(_ page: ObjectPage, summary: ObjectSummary, backlog: BacklogSnapshot = .empty) -> ByteBuffer {
        var writer = JSONWriter(capacity: 160 + page.objects.count * 320)
        writer.raw("{")
        writeBacklog(backlog, for: page.objects, into: &writer)
        writer.raw("\"count\":")
        writer.integer(page.objects.count)
        writer.raw(",\"counts\":{")
        for (index, state) in ObjectState.allCases.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(state.rawValue)
            writer.raw(":")
            writer.integer(summary.counts[state] ?? 0)
        }
        writer.raw("},\"nextCursor\":")
        writer.string(page.next.map(ObjectsQuery.cursor(after:)))
        writer.raw(",\"objects\":")
        writeObjects(page.objects, into: &writer)
        writer.raw(",\"total\":")
        writer.integer(summary.total)
        writer.raw("}")
        return ByteBuffer(bytes: writer.bytes)
    }

    /// `304 Not Modified` for a poller whose `If-None-Match` names the current `ETag`.
    static func notModified(entityTag: String) -> Response {
        Response(status: .notModified, headers: [.eTag: entityTag, .cacheControl: "no-cache"])
    }
}
