import Declarations
import Foundation
import JSON
import Planning
import Reconciler
import Testing
import WandbAPI
import WandbModel

/// The importer's pure part: observed entity in, declaration files out.
@Suite("Import: importer")
struct ImportImporterTests {
    static let when = Date(timeIntervalSince1970: 1_800_000_000)

    static func queue(
        _ name: String, entity: String = "ml", type: String = "kubernetes", config: JSONValue = [:],
        variables: [String: (description: String?, schema: String)] = [:], mode: WandbModel.PrioritizationMode = .disabled,
        links: [(String, String)] = []
    ) -> ObservedRunQueue {
        ObservedRunQueue(
            id: "q-\(name)", entity: entity, name: name, resourceType: type, wrappedConfig: RunQueueConfig.wrap(config, resourceType: type),
            templateVariables: variables.reduce(into: [:]) { $0[$1.key] = ObservedTemplateVariable(name: $1.key, description: $1.value.description, schemaJSON: $1.value.schema) },
            prioritizationMode: mode,
            externalLinksJSON: .object(["links": .array(links.map { .object(["label": .string($0.0), "url": .string($0.1)]) })]),
            access: .project, defaultResourceConfigID: "c-\(name)")
    }

    static func member(_ username: String?, email: String?, admin: Bool = false, pending: Bool = false) -> ObservedTeamMember {
        ObservedTeamMember(id: "m-\(username ?? email ?? "")", username: username, email: email, name: username ?? "invitee", admin: admin, pending: pending, accountType: "USER", role: nil)
    }

    /// Loads and validates in-memory files as if they were a folder.
    static func validate(_ files: [ImportedFile]) -> ValidationReport {
        var load = LoadResult()
        for file in files {
            load.fileCount += 1
            DeclarationLoader().load(contents: Array(file.text.utf8), file: file.path, into: &load)
        }
        return Validator().validate(load)
    }

    static let entity = ObservedState.Entity(
        name: "ml", exists: true, isTeam: true,
        queues: [
            queue(
                "a100 training", config: ["spec": ["template": ["spec": ["containers": [["resources": ["limits": ["nvidia.com/gpu": "{{gpus}}"]], "args": ["${run_id}", "yes"]]]]]]],
                variables: ["gpus": ("GPUs per job", #"{"type":"integer","default":1,"minimum":1,"maximum":8}"#)], mode: .v0,
                links: [("Dashboard", "https://grafana.example.com/d/launch")]),
            queue("a100_training"),
            queue(".hidden", type: "local-process"),
            queue("docker", type: "local-container", config: ["env": ["A=1"], "gpus": "all"]),
        ],
        projects: ["model-registry": .init(id: "p0"), "llm": .init(id: "p1", description: "yes: no # really"), "bare": .init(id: "p2")],
        members: [member("alice", email: "alice@example.com", admin: true), member("svc-bot", email: nil), member(nil, email: "bob@example.com", pending: true)])

    @Test("one file per object, safe distinct names, model-registry left to launchq")
    func layout() throws {
        let files = try Importer(configuration: .init(importedAt: Self.when)).files(for: Self.entity)
        #expect(files.map(\.path) == [
            "projects/bare.yaml", "projects/llm.yaml", "queues/_.hidden.yaml", "queues/a100_training-2.yaml", "queues/a100_training.yaml",
            "queues/docker.yaml", "team.yaml",
        ])
        for file in files {
            #expect(file.text.hasPrefix("# Imported from W&B by `launchq import` at 2027-01-15T08:00:00Z"), "\(file.path)")
        }
    }

    @Test("the files validate and declare exactly what W&B holds")
    func faithful() throws {
        let files = try Importer().files(for: Self.entity)
        let report = Self.validate(files)
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
        // Only the expected warnings: members not declared as Users, and local-process is fine when empty.
        #expect(report.diagnostics.allSatisfy { $0.code == .referenceUser }, "\(report.diagnostics.map(\.description))")

        var queues: [String: RunQueue] = [:]
        var projects: [String: Project] = [:]
        var teams: [Team] = []
        for declaration in report.declarations {
            switch declaration.object {
            case .runQueue(let queue): queues[queue.name] = queue
            case .project(let project): projects[project.name] = project
            case .team(let team): teams.append(team)
            case .user: Issue.record("no users are imported")
            case .policy: Issue.record("no policies are imported")
            }
        }
        #expect(queues.count == Self.entity.queues.count)
        for (name, observed) in Self.entity.queues {
            #expect(queues[name]?.wandbState == observed.state, "\(name)")
            #expect(queues[name]?.policy == Policy(), "no policy is made up")
        }
        #expect(projects == ["llm": Project(entity: "ml", name: "llm", description: "yes: no # really"), "bare": Project(entity: "ml", name: "bare")])
        #expect(teams == [Team(name: "ml", members: [
            Team.Member(user: "alice@example.com", role: .admin), Team.Member(user: "bob@example.com"), Team.Member(user: "svc-bot"),
        ])])
        let team = try #require(files.first { $0.path == "team.yaml" })
        #expect(team.text.contains("# bob@example.com has not accepted the invite yet."))
    }

    @Test("a queue launchq would refuse is still written; validation says why")
    func refusedConfigIsWritten() throws {
        let risky = ObservedState.Entity(
            name: "ops", isTeam: false,
            queues: [Self.queue("privileged", entity: "ops", config: ["spec": ["template": ["spec": ["securityContext": ["runAsUser": 0]]]]]),
                     Self.queue("typo", entity: "ops", config: ["metadata": ["name": "{{gpu}}"]], variables: ["gpus": (nil, #"{"type":"integer"}"#)])])
        let files = try Importer().files(for: risky)
        #expect(files.map(\.path) == ["queues/privileged.yaml", "queues/typo.yaml"], "a user entity has no team file")
        let report = Self.validate(files)
        let errors = Set(report.diagnostics.filter { $0.severity == .error }.map(\.code))
        #expect(errors == [.kubernetesRefused, .templateUndeclared], "\(report.diagnostics.map(\.description))")
        #expect(report.declarations.count == 2)
    }

    @Test("an entity W&B does not have is an error")
    func missingEntity() {
        let error = #expect(throws: ImportError.self) { try Importer().files(for: ObservedState.Entity(name: "ghost", exists: false)) }
        #expect(error?.code == .entityNotFound)
    }

    @Test("file names: safe characters, never hidden, bounded, distinct without regard to case")
    func fileNames() throws {
        let names = ["GPU", "gpu", "a/b", "a:b", "../x", "", "é", String(repeating: "q", count: 64), "a_b", "evil\nkind: User"]
        let entity = ObservedState.Entity(name: "ml", isTeam: false, queues: names.map { Self.queue($0, type: "local-process") })
        let files = try Importer().files(for: entity)
        let paths = files.map(\.path)
        let declared = Self.validate(files).declarations.compactMap { if case .runQueue(let queue) = $0.object { queue.name } else { nil } }
        #expect(declared.sorted() == names.sorted(), "every name reads back exactly, even one with a line break")
        #expect(paths.count == names.count)
        #expect(Set(paths.map { $0.lowercased() }).count == names.count)
        for path in paths {
            let stem = path.dropFirst("queues/".count).dropLast(".yaml".count)
            #expect(!stem.isEmpty && !stem.hasPrefix("."), "\(path)")
            #expect(stem.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }, "\(path)")
        }
        #expect(paths.contains("queues/a_b.yaml"), "a name that is already safe keeps it")
    }

    @Test("writing refuses to overwrite unless forced")
    func writing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = [ImportedFile(path: "queues/a.yaml", text: "a: 1\n"), ImportedFile(path: "team.yaml", text: "b: 2\n")]
        let written = try ImportedFile.write(files, to: folder, force: false)
        #expect(written == [folder + "/queues/a.yaml", folder + "/team.yaml"])
        #expect(FileManager.default.contents(atPath: folder + "/queues/a.yaml") == Data("a: 1\n".utf8))

        let changed = [ImportedFile(path: "queues/a.yaml", text: "changed\n"), ImportedFile(path: "new.yaml", text: "n\n")]
        let error = #expect(throws: ImportError.self) { try ImportedFile.write(changed, to: folder, force: false) }
        #expect(error?.code == .fileExists)
        #expect(error?.message.contains("queues/a.yaml") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/new.yaml"), "nothing is written when one file exists")
        #expect(FileManager.default.contents(atPath: folder + "/queues/a.yaml") == Data("a: 1\n".utf8))

        _ = try ImportedFile.write(changed, to: folder, force: true)
        #expect(FileManager.default.contents(atPath: folder + "/queues/a.yaml") == Data("changed\n".utf8))
    }
}
