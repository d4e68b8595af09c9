import Declarations
import Foundation
import Testing

@Suite("Document and field rules")
struct DocumentRulesTests {
    @Test func apiVersionAndKindAreRequired() {
        expectOne(validate("kind: User\nemail: a@example.com\n"), .documentAPIVersion, line: 1, column: 1, path: "/apiVersion")
        expectOne(validate("apiVersion: launchq/v2\nkind: User\nemail: a@example.com\n"), .documentAPIVersion, line: 1, column: 13)
        expectOne(validate("apiVersion: launchq/v1\nemail: a@example.com\n"), .documentKind, line: 1, column: 1)
        let misspelt = expectOne(validate("apiVersion: launchq/v1\nkind: RunQeue\n"), .documentKind, line: 2, column: 7)
        #expect(misspelt?.hint == "did you mean \"RunQueue\"?")
        expectOne(validate("- a\n- b\n"), .documentNotMapping, line: 1, column: 1)
    }

    @Test func unknownFieldsGetADidYouMeanHint() {
        let report = validate(queueYAML("resorce_config: {}\n"))
        let diagnostic = expectOne(report, .fieldUnknown, line: 6, column: 1, path: "/resorce_config")
        #expect(diagnostic?.hint == "did you mean \"resource_config\"?")
        let nested = validate(queueYAML("policy:\n  drfit: report\n"))
        #expect(expectOne(nested, .fieldUnknown, line: 7, column: 3, path: "/policy/drfit")?.hint == "did you mean \"drift\"?")
    }

    /// A custom object's members are its CRD's business (a Job's are checked: RunnerSchemaKubernetesTests).
    @Test func unknownFieldsInsideResourceConfigAreTheRunnersBusiness() {
        expectClean(validate(queueYAML("resource_config:\n  apiVersion: example.com/v1\n  anything: {goes: here}\n")))
    }

    @Test func missingRequiredFieldsAreNamed() {
        let report = validate("apiVersion: launchq/v1\nkind: RunQueue\nentity: ml\n")
        let missing = diagnostics(report, .fieldRequired).map(\.path.description).sorted()
        #expect(missing == ["/name", "/resource_type"])
        #expect(report.declarations.isEmpty)
    }

    @Test func wrongTypesAreReported() {
        expectOne(validate(queueYAML("prioritization_mode: 1\n")), .fieldType, line: 6, column: 22, path: "/prioritization_mode")
        let type = expectOne(validate(queueYAML(type: "kubernets")), .fieldType, line: 5, column: 16, path: "/resource_type")
        #expect(type?.hint == "did you mean \"kubernetes\"?")
        expectOne(validate("apiVersion: launchq/v1\nkind: User\nemail: a@example.com\nadmin: yes\n"), .fieldType, line: 4, column: 8)
        expectOne(validate(queueYAML("resource_config: [1]\n")), .resourceConfigType, line: 6, column: 18)
        expectOne(validate("apiVersion: launchq/v1\nkind: Team\nname: t\nmembers: bob\n"), .fieldType, path: "/members")
        expectOne(
            validate("apiVersion: launchq/v1\nkind: Team\nname: t\nmembers:\n  - user: b@example.com\n    role: owner\n"), .fieldType,
            line: 6, column: 11, path: "/members/0/role")
    }

    @Test func queueNamesAreOneToSixtyFourCharacters() {
        let long = String(repeating: "q", count: 65)
        let report = validate(queueYAML().replacingOccurrences(of: "name: q1", with: "name: \(long)"))
        expectOne(report, .nameQueue, line: 4, column: 7, path: "/name")
        let ok = validate(queueYAML().replacingOccurrences(of: "name: q1", with: "name: \(String(repeating: "é", count: 64))"))
        #expect(diagnostics(ok, .nameQueue).isEmpty)
        expectOne(validate(queueYAML().replacingOccurrences(of: "name: q1", with: "name: \"\"")), .nameQueue)
    }

    @Test func entityTeamAndProjectNamesUseTheWandbAlphabet() {
        expectOne(validate(queueYAML().replacingOccurrences(of: "entity: ml-platform", with: "entity: ml platform")), .nameEntity, line: 3, column: 9)
        expectOne(validate("apiVersion: launchq/v1\nkind: Team\nname: a/b\n"), .nameEntity, line: 3, column: 7)
        expectOne(validate("apiVersion: launchq/v1\nkind: Project\nentity: ok.team_1-x\nname: \(String(repeating: "p", count: 129))\n"), .nameEntity, line: 4)
        #expect(diagnostics(validate("apiVersion: launchq/v1\nkind: Project\nentity: ok.team_1-x\nname: p\n"), .nameEntity).isEmpty)
    }

    @Test func emailsMustLookLikeEmails() {
        expectOne(validate("apiVersion: launchq/v1\nkind: User\nemail: alice@localhost\n"), .nameEmail, line: 3, column: 8)
        expectOne(validate("apiVersion: launchq/v1\nkind: User\nemail: \"a b@example.com\"\n"), .nameEmail)
        expectClean(validate("apiVersion: launchq/v1\nkind: User\nemail: Alice.Smith+ml@example.co.uk\n"))
    }

    @Test func externalLinksMustBeAbsoluteWebURLs() {
        let report = validate(queueYAML("external_links:\n  Good: https://grafana.example.com/d/x\n  Bad: ftp://files.example.com\n  Relative: /d/x\n"))
        let bad = diagnostics(report, .urlInvalid)
        #expect(bad.map(\.path.description) == ["/external_links/Bad", "/external_links/Relative"])
        #expect(bad.first?.location?.line == 8)
    }

    @Test func twoDocumentsWithOneIdentityNameBothPlaces() {
        let text = "apiVersion: launchq/v1\nkind: User\nemail: Alice@example.com\n---\napiVersion: launchq/v1\nkind: User\nemail: alice@EXAMPLE.com\n"
        let diagnostic = expectOne(validate(text, file: "people.yaml"), .identityDuplicate, line: 5, column: 1)
        #expect(diagnostic?.message.contains("people.yaml:1:1") == true)
        let queues = validate(queueYAML() + "---\n" + queueYAML())
        expectOne(queues, .identityDuplicate, line: 7)
        let sameNameOtherKind = validate("apiVersion: launchq/v1\nkind: Team\nname: ml\n---\napiVersion: launchq/v1\nkind: Project\nentity: ml\nname: ml\n")
        #expect(diagnostics(sameNameOtherKind, .identityDuplicate).isEmpty)
    }

    @Test func everyProblemIsReportedInOnePass() {
        let text = """
            apiVersion: launchq/v1
            kind: RunQueue
            entity: bad entity
            name: q
            resource_type: kubernetes
            colour: red
            resource_config:
              x: "{{nope}}"
            """
        let codes = Set(validate(text).diagnostics.map(\.code))
        #expect(codes.isSuperset(of: [.nameEntity, .fieldUnknown, .templateUndeclared]))
    }
}
