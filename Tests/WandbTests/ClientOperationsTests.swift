import GraphQL
import Testing
import WandbAPI
import WandbModel
import WandbSandbox

/// Every document the client can send must be valid against the sandbox's schema.
@Suite("Client operations")
struct ClientOperationsTests {
    @Test("every operation document validates against the sandbox schema")
    func everyDocumentValidates() throws {
        let schema = try buildSchema(source: SandboxSchema.sdl)
        #expect(Operations.all.count >= 20)
        for operation in Operations.all {
            let document = try parse(source: operation.document)
            let errors = validate(schema: schema, ast: document)
            #expect(errors.isEmpty, "\(operation.name): \(errors.map(\.message))\n\(operation.document)")
        }
    }

    @Test("each document holds exactly one operation with the name it is sent under")
    func operationNamesMatch() throws {
        for operation in Operations.all {
            let document = try parse(source: operation.document)
            let names = document.definitions.compactMap { ($0 as? OperationDefinition)?.name?.value }
            #expect(names == [operation.name], "\(operation.name) has operations \(names)")
        }
    }

    @Test("operations are classified by retry safety")
    func classification() {
        #expect(Operations.upsertRunQueue.kind == .idempotentMutation)
        #expect(Operations.deleteRunQueues.kind == .idempotentMutation)
        #expect(Operations.createProject.kind == .idempotentMutation)
        #expect(Operations.createRunQueue.kind == .mutation)
        #expect(Operations.createDefaultResourceConfig.kind == .mutation)
        #expect(Operations.createTeam.kind == .mutation)
        #expect(Operations.createInvite.kind == .mutation)
        #expect(Operations.createUser.kind == .mutation)
        #expect(Operations.viewer.kind == .query)
        for parts in [EntityReadParts.all, .runQueues] {
            #expect(Operations.readEntities(count: 2, parts: parts).kind == .query)
        }
    }

    @Test("a batched read has one variable and one alias set per entity")
    func batchedReadShape() throws {
        let operation = Operations.readEntities(count: 3, parts: .all)
        let document = try parse(source: operation.document)
        let definition = try #require(document.definitions.first as? OperationDefinition)
        let variables = definition.variableDefinitions.map(\.variable.name.value)
        #expect(variables == ["e0", "e1", "e2", "perPage"])
        let aliases = definition.selectionSet.selections.compactMap { ($0 as? Field)?.alias?.value }
        #expect(aliases == ["q0", "m0", "p0", "q1", "m1", "p1", "q2", "m2", "p2"])
        let queuesOnly = Operations.readEntities(count: 2, parts: .runQueues)
        let queuesDefinition = try #require(try parse(source: queuesOnly.document).definitions.first as? OperationDefinition)
        let queueAliases = queuesDefinition.selectionSet.selections.compactMap { ($0 as? Field)?.alias?.value }
        #expect(queueAliases == ["q0", "m0", "q1", "m1"])
    }

    @Test("the SDK's queue documents are sent byte for byte")
    func verbatimDocuments() {
        #expect(Operations.upsertRunQueue.document.hasPrefix("\nmutation UpsertRunQueue ($entityName: String!, $projectName: String!"))
        #expect(Operations.createRunQueue.document.contains(
            "\tcreateRunQueue(input: {entityName:$entity,projectName:$project,queueName:$queueName,access:$access,"))
        #expect(Operations.viewer.document.hasPrefix("\nquery Viewer {\n\tviewer {\n\t\tid\n"))
    }
}
