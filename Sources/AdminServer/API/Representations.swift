import Declarations
import Foundation
import Hummingbird
import JSON
import NIOCore
import Reconciler
import Store

/// JSON answers of the admin API.
enum Representation {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: CanonicalJSON.string(value))))
    }

    static func time(_ date: Date?) -> JSONValue {
        date.map { .string(UTCTime.iso8601($0)) } ?? .null
    }

    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func object(_ status: ObjectStatus) -> JSONValue {
        .object([
            "kind": .string(status.key.kind), "id": .string(status.key.identity), "state": .string(status.state.rawValue),
            "desiredHash": text(status.desiredHash), "observedHash": text(status.observedHash), "wandbId": text(status.wandbID),
            "lastError": text(status.lastError), "attempts": .integer(status.attempts), "lastReconciledAt": time(status.lastReconciledAt),
        ])
    }

    /// `{"objects": [...], "count": n}`, written directly (the hot path of the API).
    static func objects(_ objects: [ObjectStatus]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: objectsJSON(objects))))
    }

    /// The bytes of ``objects(_:)``: the same text as `CanonicalJSON` of ``object(_:)`` rows (sorted keys).
    static func objectsJSON(_ objects: [ObjectStatus]) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + objects.count * 320)
        writer.raw("{\"count\":")
        writer.integer(objects.count)
        writer.raw(",\"objects\":")
        writeObjects(objects, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    /// `[{...}, ...]`: each object as ``object(_:)`` would render it (sorted keys), written directly.
    static func writeObjects(_ objects: [ObjectStatus], into writer: inout JSONWriter) {
        writer.raw("[")
        for (index, status) in objects.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"attempts\":")
            writer.integer(status.attempts)
            writer.raw(",\"desiredHash\":")
            writer.string(status.desiredHash)
            writer.raw(",\"id\":")
            writer.string(status.key.identity)
            writer.raw(",\"kind\":")
            writer.string(status.key.kind)
            writer.raw(",\"lastError\":")
            writer.string(status.lastError)
            writer.raw(",\"lastReconciledAt\":")
            writer.time(status.lastReconciledAt)
            writer.raw(",\"observedHash\":")
            writer.string(status.observedHash)
            writer.raw(",\"state\":")
            writer.string(status.state.rawValue)
            writer.raw(",\"wandbId\":")
            writer.string(status.wandbID)
            writer.raw("}")
        }
        writer.raw("]")
    }

    static func revision(_ revision: Revision) -> JSONValue {
        .object([
            "number": .integer(Int(revision.number)), "createdAt": time(revision.createdAt), "contentHash": .string(revision.contentHash),
            "declarationCount": .integer(revision.declarationCount),
            "source": .object([
                "kind": .string(revision.source.kind), "location": .string(revision.source.location), "commit": text(revision.source.commit),
                "author": text(revision.source.author),
            ]),
        ])
    }

    static func declaration(_ record: DeclarationRecord, withDocument: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(record.kind), "id": .string(record.identity), "contentHash": .string(record.contentHash),
            "file": .string(record.file), "line": .integer(record.line), "column": .integer(record.column),
        ]
        if withDocument { members["declaration"] = parsed(record.document) }
        return .object(members)
    }

    static func event(_ event: Event) -> JSONValue {
        .object([
            "id": .integer(Int(event.id)), "occurredAt": time(event.occurredAt), "actor": .string(event.draft.actor),
            "object": event.draft.object.map { .object(["kind": .string($0.kind), "id": .string($0.identity)]) } ?? .null,
            "action": .string(event.draft.action), "outcome": .string(event.draft.outcome.rawValue), "message": text(event.draft.message),
            "before": text(event.draft.before), "after": text(event.draft.after),
            "revision": event.draft.revision.map { .integer(Int($0)) } ?? .null,
        ])
    }

    static func run(_ run: ReconcileRun) -> JSONValue {
        .object([
            "outcome": .string(run.outcome), "trigger": .string(run.trigger), "revision": run.revision.map { .integer(Int($0)) } ?? .null,
            "rounds": .integer(run.rounds), "succeeded": .integer(run.succeeded), "failed": .integer(run.failed),
            "skipped": .integer(run.skipped), "deferred": .integer(run.deferred), "plan": text(run.plan), "message": text(run.message),
            "startedAt": time(run.startedAt), "durationSeconds": .number(run.durationSeconds),
        ])
    }

    static func status(_ status: Scheduler.Status) -> JSONValue {
        .object([
            "replica": .string(status.replica), "leader": .bool(status.leader), "holder": text(status.holder),
            "suspended": .bool(status.suspended), "suspendedBy": text(status.suspendedBy), "suspendedAt": time(status.suspendedAt),
            "cliApply": status.cliApply.map { .object(["holder": .string($0.holder), "since": time($0.since)]) } ?? .null,
            "running": .bool(status.running), "runningSince": time(status.runningSince), "waitingOn": text(status.waitingOn),
            "lastRun": status.lastRun.map(run) ?? .null,
        ])
    }

    /// A recorded reconcile request: its number, state, who asked where, who ran it and (once finished) the run.
    static func request(_ record: ReconcileRequestRecord) -> JSONValue {
        .object([
            "id": .integer(Int(record.id)), "state": .string(record.state.rawValue), "requestedBy": .string(record.requestedBy),
            "replica": .string(record.replica), "requestedAt": time(record.requestedAt), "claimedBy": text(record.claimedBy),
            "startedAt": time(record.startedAt), "finishedAt": time(record.finishedAt),
            "object": record.object.map { .object(["kind": .string($0.kind), "id": .string($0.identity)]) } ?? .null,
            "run": record.run.map(parsed) ?? .null,
            "allowNonemptyDelete": .bool(record.deletions.allowNonemptyDelete),
            "maxDeletions": record.deletions.maxDeletions.map { .integer($0) } ?? .null,
        ])
    }

    /// Stored JSON text as a value (it was written by launchq, so it parses).
    static func parsed(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }
}
