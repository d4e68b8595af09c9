import JSON
import Testing
@testable import WandbAPI

/// How the client reads failures the real W&B server gives: permission refusals, older schemas, batches too large.
@Suite("Client error rules")
struct ClientErrorRulesTests {
    static let read = GraphQLOperation(name: "ReadEntities", kind: .query, document: "query ReadEntities { viewer { id } }")
    static let createTeam = GraphQLOperation(name: "CreateTeam", kind: .mutation, document: "mutation CreateTeam { x }")

    static func answer(_ status: Int, _ body: String) -> GraphQLHTTPResponse {
        GraphQLHTTPResponse(status: status, headers: [], body: Array(body.utf8))
    }

    @Test("HTTP 403 is a permission error naming the operation and the role; 401 stays a refused key")
    func forbidden() {
        let forbidden = #"{"errors":[{"message":"Forbidden: only organization admins can create teams"}]}"#
        do {
            _ = try GraphQLAnswer.interpret(Self.answer(403, forbidden), operation: Self.createTeam, attempt: 1)
            Issue.record("403 must throw")
        } catch let error as WandbAPIError {
            #expect(error.code == .permissionDenied)
            #expect(error.message.contains("CreateTeam needs an instance (organization) admin"))
            #expect(error.message.contains("only organization admins can create teams"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try GraphQLAnswer.interpret(Self.answer(401, "{}"), operation: Self.createTeam, attempt: 1)
            Issue.record("401 must throw")
        } catch let error as WandbAPIError {
            #expect(error.code == .unauthorized)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a 200 answer with a permission error is a permission error; other errors stay graphQL")
    func permissionMessages() {
        let denied = GraphQLAnswer.graphQLError(
            [GraphQLErrorEntry(message: "permission denied: user \"bob\" must be an admin of entity \"lab\"", path: ["result"])],
            operation: GraphQLOperation(name: "CreateInvite", kind: .mutation, document: ""), attempt: 1)
        #expect(denied.code == .permissionDenied)
        #expect(denied.message.contains("CreateInvite needs an admin of the team"))
        let other = GraphQLAnswer.graphQLError([GraphQLErrorEntry(message: "queue name taken", path: [])], operation: Self.createTeam, attempt: 1)
        #expect(other.code == .graphQL)
    }

    @Test("a timeout, a 5xx and a complexity refusal suggest a smaller batch; a 4xx, a refusal or a broken answer do not")
    func smallerBatch() {
        let timeout = WandbAPIError(code: .transport, message: "no answer from x: \(WandbAPIError.timeoutMarker) 30 seconds")
        #expect(timeout.suggestsSmallerBatch)
        #expect(WandbAPIError(code: .http, message: "HTTP 504", httpStatus: 504).suggestsSmallerBatch)
        #expect(WandbAPIError(code: .graphQL, message: "query complexity 1200 exceeds the limit of 1000", httpStatus: 200).suggestsSmallerBatch)
        #expect(WandbAPIError(code: .http, message: "x", httpStatus: 400, graphQLMessages: ["the query is too complex"]).suggestsSmallerBatch)
        #expect(!WandbAPIError(code: .transport, message: "no answer from x: connection refused").suggestsSmallerBatch)
        #expect(!WandbAPIError(code: .http, message: "HTTP 400", httpStatus: 400).suggestsSmallerBatch)
        #expect(!WandbAPIError(code: .permissionDenied, message: "permission denied", httpStatus: 403).suggestsSmallerBatch)
        #expect(!WandbAPIError(code: .decoding, message: "runQueue.access of queue a/b is missing or not a string").suggestsSmallerBatch)
    }

    @Test("errors under the queue or project alias of an absent entity are harmless; any other error is not")
    func harmlessErrors() {
        let data: [String: JSONValue] = ["m0": .null, "q0": .null, "p0": .null, "m1": ["id": "e1", "name": "real"], "q1": .null]
        let entry = { (path: [String]) in GraphQLErrorEntry(message: "entity not found", path: path) }
        #expect(Wire.areHarmless([entry(["q0"]), entry(["p0", "edges"])], in: data, entities: 2))
        #expect(!Wire.areHarmless([entry(["q1"])], in: data, entities: 2), "entity 1 exists: its queue error is real")
        #expect(!Wire.areHarmless([entry(["m0"])], in: data, entities: 2))
        #expect(!Wire.areHarmless([entry([])], in: data, entities: 2))
        #expect(!Wire.areHarmless([entry(["q5"])], in: data, entities: 2))
    }

    @Test("'Cannot query field' names the field an older server lacks")
    func missingField() {
        let error = WandbAPIError(
            code: .graphQL, message: #"Cannot query field "upsertRunQueue" on type "Mutation"."#, httpStatus: 200,
            graphQLMessages: [#"Cannot query field "upsertRunQueue" on type "Mutation"."#])
        #expect(error.isMissingField("upsertRunQueue"))
        #expect(!error.isMissingField("createRunQueue"))
        #expect(!WandbAPIError(code: .graphQL, message: "upsertRunQueue did not succeed").isMissingField("upsertRunQueue"))
    }
}
