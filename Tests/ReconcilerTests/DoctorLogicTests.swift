import Foundation
import JSON
import Reconciler
import Testing
import WandbAPI

/// The pure parts of `launchq doctor`: which documents it checks, the ill-typed variables, how answers are judged
/// and how the report reads.
@Suite("launchq doctor logic")
struct DoctorLogicTests {
    @Test("every mutation document of Operations is checked, each with every variable ill-typed")
    func mutationsAndVariables() {
        let names = Doctor.mutations.map(\.name)
        #expect(Set(names).isSuperset(of: ["UpsertRunQueue", "CreateProject", "DeleteRunQueues", "CreateTeam", "CreateInvite", "DeleteInvite"]))
        #expect(names.count == Set(names).count)
        #expect(Doctor.mutations.allSatisfy { $0.kind != .query })
        for operation in Doctor.mutations {
            let variables = MutationCheck.variables(of: operation.document)
            #expect(!variables.isEmpty, "\(operation.name) declares variables")
            let sent = MutationCheck.illTypedVariables(for: operation)
            #expect(Set(sent.keys) == Set(variables.map(\.name)), "\(operation.name)")
        }
        let upsert = MutationCheck.variables(of: Operations.upsertRunQueue.document)
        #expect(upsert.first == MutationCheck.Variable(name: "entityName", type: "String!"))
        #expect(upsert.contains(MutationCheck.Variable(name: "prioritizationMode", type: "RunQueuePrioritizationMode")))
        let delete = MutationCheck.variables(of: Operations.deleteRunQueues.document)
        #expect(delete == [MutationCheck.Variable(name: "ids", type: "[ID!]!")])
        #expect(delete[0].baseType == "ID" && delete[0].illTypedValue == .null)
        // DeleteInvite's variables are all nullable: values of the wrong kind instead of null.
        let invite = MutationCheck.illTypedVariables(for: Operations.deleteInvite)
        #expect(invite.values.allSatisfy { if case .object = $0 { true } else { false } }, "\(invite)")
        #expect(MutationCheck.Variable(name: "admin", type: "Boolean").illTypedValue == .string("launchq doctor: not a Boolean"))
        #expect(MutationCheck.Variable(name: "input", type: "UpsertModelInput").illTypedValue.string != nil)
        #expect(MutationCheck.variables(of: "mutation NoVariables { x }").isEmpty)
    }

    @Test("answers: a validation error is incompatible, a variable error alone is accepted, anything else is not verified")
    func verdicts() {
        // graph-gophers/graphql-go (W&B) and GraphQLSwift (the sandbox) wordings.
        #expect(MutationCheck.verdict(messages: [#"Variable "entityName" has invalid value null.\#nExpected type "String!", found null."#]) == .accepted)
        #expect(MutationCheck.verdict(messages: [#"Variable "$ids" got invalid value null."#, #"Variable "$x" got invalid value {}."#]) == .accepted)
        #expect(MutationCheck.verdict(messages: [#"could not unmarshal map[string]interface {}{} into string: incompatible type"#]) == .accepted)
        let missing = #"Cannot query field "upsertRunQueue" on type "Mutation"."#
        #expect(MutationCheck.verdict(messages: [#"Variable "a" has invalid value null."#, missing]) == .incompatible(missing))
        #expect(MutationCheck.verdict(messages: [#"Unknown argument "externalLinks" on field "x"."#]) != .accepted)
        #expect(MutationCheck.verdict(messages: [#"Variable "$x" of type "String" used in position expecting type "String!"."#]) != .accepted)
        #expect(MutationCheck.verdict(messages: ["permission denied"]) == .unclear("permission denied"))
        #expect(MutationCheck.verdict(messages: []) == .unclear("an answer without errors or data"))
        #expect(MutationCheck.verdict(messages: [], ranWithoutErrors: true) == .executed)
    }

    @Test("the report: exit 0 / 1 / 2, a table, and JSON that reads back")
    func report() throws {
        var report = DoctorReport(server: "http://w", reachable: true, user: .init(username: "ann", admin: false), checks: [
            .init(check: "viewer", subject: "ann", status: .ok, detail: "fine"),
            .init(check: "user-search", subject: "users(query:)", status: .warning, detail: "not allowed"),
        ])
        #expect(report.exitCode == 0 && report.compatible)
        #expect(report.text.contains("user ann (not an instance admin)") && report.text.hasSuffix("compatible: launchq can work with this server"))
        report.checks.append(.init(check: "mutation", subject: "CreateTeam", status: .failed, detail: "incompatible: x"))
        #expect(report.exitCode == 1 && report.text.hasSuffix("not compatible: mutation CreateTeam"))
        let encoded = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(DoctorReport.self, from: encoded) == report)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(Set(object.keys) == ["server", "reachable", "compatible", "exitCode", "user", "checks"])
        #expect(object["compatible"] as? Bool == false && object["exitCode"] as? Int == 1)
        let unreachable = DoctorReport(server: "http://w", reachable: false, checks: [.init(check: "viewer", subject: "API key", status: .failed, detail: "no answer")])
        #expect(unreachable.exitCode == 2 && unreachable.text.hasSuffix("cannot connect: no answer"))
    }
}
