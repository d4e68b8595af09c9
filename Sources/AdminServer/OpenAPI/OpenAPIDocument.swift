import Declarations
import JSON

/// The OpenAPI 3.1 document served at `/openapi.json`, built from one table of operations.
///
/// A test checks that every route the router registers is described here and every path here is routed.
public enum OpenAPIDocument {
    /// One operation: method, path (OpenAPI template), who may call it, and what it answers.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        /// `nil`: open; otherwise `viewer` or `admin` (bearer token); `hmac`: webhook signature.
        var role: String?
        var parameters: [JSONValue] = []
        var requestBody: JSONValue? = nil
        var responses: [String: String]
    }

    static func query(_ name: String, _ description: String, type: String = "string") -> JSONValue {
        .object(["name": .string(name), "in": .string("query"), "required": .bool(false), "description": .string(description),
                 "schema": .object(["type": .string(type)])])
    }

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "description": .string(description),
                 "schema": .object(["type": .string("string")])])
    }

    static let bundleBody: JSONValue = .object([
        "required": .bool(true),
        "content": .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Bundle")])])]),
    ])

    static let operations: [Operation] = [
        Operation(method: "get", path: "/healthz", summary: "The process is up", role: nil, responses: ["200": "ok"]),
        Operation(
            method: "get", path: "/readyz", summary: "Database reachable and migrations current", role: nil,
            responses: ["200": "ready", "503": "database unreachable or migrations pending"]),
        Operation(method: "get", path: "/metrics", summary: "Prometheus metrics (text exposition format); also on serve --metrics-listen's own port", role: nil, responses: ["200": "metrics"]),
        Operation(method: "get", path: "/openapi.json", summary: "This document", role: nil, responses: ["200": "the OpenAPI document"]),
        Operation(
            method: "get", path: "/", summary: "HTML status page; `?token=` stores a viewer token in a cookie and redirects", role: "viewer",
            parameters: [query("token", "a viewer token to remember in the launchq_token cookie")],
            responses: ["200": "HTML", "303": "cookie set, redirect to /"]),
        Operation(
            method: "get", path: "/v1/objects",
            summary: "Managed objects with their status, a page at a time in (kind, id) order: {backlog, count, counts (per state, for the filter), total, nextCursor, objects}; backlog maps each RunQueue id on the page to {pendingItems, oldestPendingSince (ISO 8601 or null)}, read with each reconcile run's batched reads by the replica holding the lease; ETag, If-None-Match gives 304",
            role: "viewer",
            parameters: [query("kind", "only this kind (RunQueue, Team, TeamMember, User, Project)"),
                         query("state", "only this state (ready, pending, drifted, failed, orphaned)"),
                         query("entity", "only this W&B entity: the team so named, its queues and projects"),
                         query("limit", "1-1000, default 500", type: "integer"),
                         query("cursor", "the nextCursor of the previous page (opaque)"),
                         .object(["name": .string("If-None-Match"), "in": .string("header"), "required": .bool(false),
                                  "description": .string("the ETag of an earlier answer: 304 while no listed field of the filter's objects changed"),
                                  "schema": .object(["type": .string("string")])])],
            responses: ["200": "objects", "304": "not modified since the ETag in If-None-Match", "400": "a wrong limit, cursor or state"]),
        Operation(
            method: "get", path: "/v1/objects/{kind}/{id}", summary: "One object: status, desired declaration, last observed state, events",
            role: "viewer", parameters: [pathParameter("kind", "RunQueue, Team, TeamMember, User or Project"),
                                         pathParameter("id", "the identity, e.g. entity/queue (slashes allowed)")],
            responses: ["200": "the object", "404": "not managed"]),
        Operation(
            method: "get", path: "/v1/revisions", summary: "Desired-state history, newest first; ETag is the current revision", role: "viewer",
            parameters: [query("limit", "1-500, default 50", type: "integer"), query("before", "the nextCursor of the previous page", type: "integer")],
            responses: ["200": "revisions"]),
        Operation(
            method: "get", path: "/v1/revisions/{number}", summary: "One revision with its declarations", role: "viewer",
            parameters: [pathParameter("number", "the revision number")], responses: ["200": "the revision", "404": "no such revision"]),
        Operation(
            method: "post", path: "/v1/revisions",
            summary: "Push a bundle: validated first (400 with diagnostics, nothing stored), stored only if If-Match names the current revision; refused (409 source_managed) when the service has a --source",
            role: "admin",
            parameters: [.object(["name": .string("If-Match"), "in": .string("header"), "required": .bool(true),
                                  "description": .string("the current revision number (0 before the first), or * to overwrite"),
                                  "schema": .object(["type": .string("string")])])],
            requestBody: bundleBody,
            responses: ["201": "stored and current", "200": "same content as the current revision: nothing stored",
                        "400": "bad JSON (with line and column), a file path that is absolute, leaves the bundle (..) or repeats another, or invalid declarations, a breach of an error-level kind: Policy included (with diagnostics; the message names the broken policies)",
                        "409": "source_managed: the service reads its declarations from a --source (details.source names it, credentials redacted); nothing stored",
                        "412": "If-Match is not the current revision", "413": "body over 4 MiB",
                        "415": "Content-Type is not JSON", "428": "If-Match missing"]),
        Operation(
            method: "get", path: "/v1/revisions/{number}/diff",
            summary: "What revision n changes against another: declarations added, removed, changed (with the JSON Pointers of the changed fields; canonical JSON compared)",
            role: "viewer",
            parameters: [pathParameter("number", "the revision number"),
                         query("against", "the revision to compare with (default n-1; none before revision 1)", type: "integer")],
            responses: ["200": "{revision, against, empty, unchanged, added: [{kind, id}], removed: [{kind, id}], changed: [{kind, id, fields}]}",
                        "400": "number or against is not an integer", "404": "no such revision (or no revision against)"]),
        Operation(
            method: "post", path: "/v1/revisions/{number}/restore",
            summary: "Publish revision n's declarations as a new current revision (source: restored from n by the token), then reconcile; refused (409 source_managed) when the service has a --source",
            role: "admin",
            parameters: [pathParameter("number", "the revision to restore"),
                         .object(["name": .string("If-Match"), "in": .string("header"), "required": .bool(true),
                                  "description": .string("the current revision number (0 before the first), or * to overwrite"),
                                  "schema": .object(["type": .string("string")])])],
            responses: ["201": "stored and current (restoredFrom names n)", "200": "same content as the current revision: nothing stored",
                        "404": "no such revision", "409": "source_managed: the service reads its declarations from a --source; nothing stored",
                        "412": "If-Match is not the current revision", "428": "If-Match missing"]),
        Operation(
            method: "post", path: "/v1/plan",
            summary: "Preview a bundle (the body of POST /v1/revisions): validated as a push, planned against W&B now, nothing stored; works also with a --source",
            role: "viewer", requestBody: bundleBody,
            responses: ["200": "{summary, hasChanges, hasRefusals, text, plan (as launchq plan --format json), contentHash, declarations, warnings}",
                        "400": "bad JSON, a bad file path, or invalid declarations (invalid_bundle, with diagnostics)",
                        "413": "body over 4 MiB", "415": "Content-Type is not JSON", "502": "W&B could not be read"]),
        Operation(
            method: "post", path: "/v1/validate", summary: "Validate a bundle; store nothing", role: "viewer", requestBody: bundleBody,
            responses: ["200": "the validation report", "400": "bad JSON", "413": "body over 4 MiB", "415": "Content-Type is not JSON"]),
        Operation(
            method: "get", path: "/v1/plan", summary: "Plan for the current revision against W&B now", role: "viewer",
            responses: ["200": "the plan", "404": "no revision yet", "502": "W&B could not be read"]),
        Operation(
            method: "post", path: "/v1/reconcile",
            summary: "Reconcile now (all, or one object), on any replica: the request is recorded in PostgreSQL and the leader runs it (woken by LISTEN/NOTIFY)",
            role: "admin",
            parameters: [query("kind", "with id: one object's kind"), query("id", "with kind: the object's identity"),
                         query("wait", "true: answer when the leader's run finished (polled; 202 with the request past --run-timeout plus two lease periods)", type: "boolean"),
                         query("allowNonemptyDelete", "true: this run may delete queues that still hold items (launchq apply --allow-nonempty-delete)", type: "boolean"),
                         query("maxDeletions", "the most deletions this run's plan may make (launchq apply --max-deletions)", type: "integer")],
            responses: [
                "202": "recorded: {accepted, request: {id, state, requestedBy, replica, requestedAt, claimedBy, startedAt, finishedAt, object, run, allowNonemptyDelete, maxDeletions}}",
                "200": "finished (wait=true): {accepted, request, run}", "400": "kind without id, or id without kind; maxDeletions not an integer of 0 or more",
            ]),
        Operation(
            method: "post", path: "/v1/suspend", summary: "Stop scheduled reconciliation on every replica (kept in PostgreSQL; survives a failover)",
            role: "admin", responses: ["200": "scheduler status"]),
        Operation(method: "post", path: "/v1/resume", summary: "Restart scheduled reconciliation on every replica", role: "admin", responses: ["200": "scheduler status"]),
        Operation(
            method: "get", path: "/v1/status",
            summary: "Scheduler status: leader, holder, suspended (suspendedBy, suspendedAt), cliApply {holder, since} while a launchq apply holds the lease (no replica reconciles), running (runningSince, waitingOn), last run",
            role: "viewer", responses: ["200": "status"]),
        Operation(
            method: "get", path: "/v1/events", summary: "Audit log, newest first, paged", role: "viewer",
            parameters: [query("limit", "1-500, default 50", type: "integer"), query("before", "the nextCursor of the previous page", type: "integer"),
                         query("kind", "with id: one object's events"), query("id", "with kind: the object's identity")],
            responses: ["200": "events"]),
        Operation(
            method: "post", path: "/v1/hooks/git", summary: "A push: pull the git source, publish it, reconcile (X-Hub-Signature-256)", role: "hmac",
            responses: ["202": "handled", "401": "bad signature", "404": "no git source configured"]),
    ]

    /// The whole document.
    public static let document: JSONValue = {
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            var responses: [String: JSONValue] = [:]
            for (status, description) in operation.responses {
                var response: [String: JSONValue] = ["description": .string(description)]
                if Int(status)! >= 400 {
                    response["content"] = .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])])])
                }
                responses[status] = .object(response)
            }
            if operation.role == "viewer" || operation.role == "admin" {
                responses["401"] = .object(["description": .string("no token, or an unknown or revoked one")])
                if operation.role == "admin" { responses["403"] = .object(["description": .string("the token is a viewer")]) }
            }
            var members: [String: JSONValue] = [
                "summary": .string(operation.summary), "operationId": .string(operationID(operation)), "responses": .object(responses),
            ]
            switch operation.role {
            case nil: members["security"] = .array([])
            case "hmac": members["security"] = .array([.object(["webhookSignature": .array([])])])
            case let role?:
                members["security"] = .array([.object(["bearer": .array([])])])
                members["x-launchq-role"] = .string(role)
            }
            if !operation.parameters.isEmpty { members["parameters"] = .array(operation.parameters) }
            if let body = operation.requestBody { members["requestBody"] = body }
            var item = paths[operation.path]?.object ?? [:]
            item[operation.method] = .object(members)
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("launchq admin API"), "version": .string("1"),
                "description": .string("Declarative W&B Launch queues: desired-state revisions, object status, plans, reconciliation."),
            ]),
            "paths": .object(paths),
            "components": components,
        ])
    }()

    static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(whereSeparator: { "/{}.".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return operation.method + (words.isEmpty ? "Root" : words.joined())
    }

    static let components: JSONValue = .object([
        "securitySchemes": .object([
            "bearer": .object(["type": .string("http"), "scheme": .string("bearer"),
                               "description": .string("a token from `launchq token create`; role viewer (read) or admin (write)")]),
            "webhookSignature": .object(["type": .string("apiKey"), "in": .string("header"), "name": .string("X-Hub-Signature-256")]),
        ]),
        "schemas": .object([
            "Error": .object([
                "type": .string("object"), "required": .array([.string("error")]),
                "properties": .object(["error": .object([
                    "type": .string("object"), "required": .array([.string("code"), .string("message")]),
                    "properties": .object([
                        "code": .object(["type": .string("string"), "description": .string("stable, snake_case: unauthorized, forbidden, not_found, invalid_json, invalid_bundle, body_too_large, revision_conflict, precondition_required, unsupported_media_type, method_not_allowed, unavailable, wandb_failed, source_managed, bad_signature, no_source, internal_error")]),
                        "message": .object(["type": .string("string")]),
                        "details": .object(["description": .string("invalid_json: line, column, offset, reason (or path); invalid_bundle: diagnostics; revision_conflict: current")]),
                    ]),
                ])]),
            ]),
            "Bundle": .object([
                "type": .string("object"), "required": .array([.string("files")]),
                "properties": .object([
                    "files": .object(["type": .string("array"), "minItems": .integer(1), "items": .object([
                        "type": .string("object"), "required": .array([.string("path"), .string("content")]),
                        "properties": .object([
                            "path": .object(["type": .string("string"), "description": .string("file name; .json is read as JSON, anything else as YAML")]),
                            "content": .object(["type": .string("string"), "description": .string("the file's text (UTF-8)")]),
                        ]),
                    ])]),
                    "source": .object(["type": .string("object"), "description": .string("provenance; default kind api, location and author the token"),
                                       "properties": .object([
                                           "kind": .object(["type": .string("string"), "enum": .array([.string("api"), .string("git"), .string("directory")])]),
                                           "location": .object(["type": .string("string")]), "commit": .object(["type": .string("string")]),
                                           "author": .object(["type": .string("string")]),
                                       ])]),
                ]),
            ]),
        ]),
    ])
}
