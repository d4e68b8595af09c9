import AdminServer
import Declarations
import JSON
import Store
import Testing
import TestSupport

/// `DesiredStateCodec.draft(from:)` makes each record from its declaration (and lets the declaration go):
/// the records are in declaration order with each declaration's canonical text and hash, and the draft's
/// hash is the report's. `draft(validating:)` (serve's source sync and pushes) makes the same draft and
/// diagnostics while it reads the files, without keeping the declarations.
@Suite struct DesiredStateDraftTests {
    @Test func recordsAreTheDeclarationsInOrderWithTheReportsHash() throws {
        let report = Validator().validate(paths: [Repository.path("examples")])
        try #require(report.isValid(strict: false) && report.declarations.count > 3)
        let draft = DesiredStateCodec.draft(from: report, source: RevisionSource(kind: "directory", location: "examples"))
        #expect(draft.contentHash == report.contentHash)
        let records: [DeclarationRecord] = draft.declarations
        let declarations: [Declaration] = report.declarations
        #expect(records.map { $0.identity } == declarations.map { $0.identity })
        #expect(records.map { $0.kind } == declarations.map { $0.kind.rawValue })
        #expect(records.map { $0.contentHash } == declarations.map { $0.contentHash })
        #expect(records.map { $0.document } == declarations.map { CanonicalJSON.string($0.canonical) })
        #expect(records.map { SourceLocation(file: $0.file, line: $0.line, column: $0.column) } == declarations.map { $0.location })
    }

    /// A Kubernetes queue of `entity` asking for `gpus` GPUs, with `image`.
    static func queue(_ entity: String, _ name: String, gpus: Int, image: String = "us-docker.pkg.dev/acme/train:1") -> String {
        """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: \(entity)
        name: \(name)
        resource_type: kubernetes
        resource_config:
          metadata: {namespace: training}
          spec:
            template:
              spec:
                restartPolicy: Never
                containers:
                  - name: main
                    image: \(image)
                    resources: {limits: {memory: 16Gi, nvidia.com/gpu: \(gpus)}}

        """
    }

    /// Users, a team with a member no User declares, projects (one of an undeclared entity), queues (one of an
    /// undeclared entity, one with an image the warning-level policy does not allow), and two policies declared
    /// in a later file than the queues they cover. `withErrors` adds a queue over the error-level policy's GPU
    /// budget and a second declaration of a queue.
    static func files(withErrors: Bool) -> [(path: String, contents: [UInt8])] {
        let people = """
            apiVersion: launchq/v1
            kind: User
            email: Alice@example.com
            ---
            apiVersion: launchq/v1
            kind: Team
            name: ml-platform
            admin: alice@example.com
            members:
              - {user: ghost@example.com, role: member}
            ---
            apiVersion: launchq/v1
            kind: Project
            entity: ml-platform
            name: pretrain
            ---
            apiVersion: launchq/v1
            kind: Project
            entity: elsewhere
            name: orphan

            """
        var queues = [queue("ml-platform", "small", gpus: 1), queue("nowhere", "q", gpus: 1), queue("ml-platform", "dockerhub", gpus: 2, image: "docker.io/x:1")]
        if withErrors { queues += [queue("ml-platform", "big", gpus: 16), queue("ml-platform", "small", gpus: 4)] }
        let policies = """
            apiVersion: launchq/v1
            kind: Policy
            name: gpu-budget
            scope: {entities: ["ml-*"]}
            severity: error
            rules: {max_gpus_per_job: 8}
            ---
            apiVersion: launchq/v1
            kind: Policy
            name: images
            severity: warning
            rules: {allowed_image_prefixes: ["us-docker.pkg.dev/"]}

            """
        let texts = [("a-people.yaml", people), ("b-queues.yaml", queues.joined(separator: "---\n")), ("c-more.yaml", queue("ml-platform", "late", gpus: 1)), ("d-policies.yaml", policies)]
        return texts.map { (path: $0.0, contents: Array($0.1.utf8)) }
    }

    @Test(arguments: [false, true])
    func theDraftMadeWhileValidatingIsTheDraftOfTheReport(withErrors: Bool) throws {
        let files = Self.files(withErrors: withErrors)
        let source = RevisionSource(kind: "git", location: "https://example.com/queues@main", commit: "abc", author: "Ada <ada@example.com>")
        let reference = DesiredStateCodec.validate(files: files)
        let expected = DesiredStateCodec.draft(from: reference, source: source)
        let (report, draft) = DesiredStateCodec.draft(validating: files, source: source)

        // The bundle exercises every rule the draft's validation must keep.
        let codes = Set(reference.diagnostics.map(\.code))
        #expect(codes.isSuperset(of: [.referenceUser, .referenceEntity, .policyAllowedImagePrefixes]))
        #expect(reference.diagnostics.contains { $0.code == .policyAllowedImagePrefixes && $0.severity == .warning })
        #expect(reference.isValid(strict: false) == !withErrors)
        if withErrors {
            #expect(codes.isSuperset(of: [.identityDuplicate, .policyMaxGPUsPerJob]))
            #expect(reference.diagnostics.contains { $0.code == .policyMaxGPUsPerJob && $0.severity == .error && $0.location?.file == "b-queues.yaml" })
        }
        #expect(reference.declarations.count == (withErrors ? 12 : 10))

        #expect(report.diagnostics == reference.diagnostics)
        #expect(report.fileCount == reference.fileCount)
        #expect(report.declarations.isEmpty)
        #expect(draft.declarations == expected.declarations)
        #expect(draft.contentHash == expected.contentHash)
        #expect(draft.contentHash == reference.contentHash)
        #expect(draft.source == source)
    }
}
