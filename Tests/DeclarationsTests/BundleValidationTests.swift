import Declarations
import Foundation
import Testing

/// Validating a bundle one file at a time (``BundleValidation``) reports exactly what loading every file
/// into one `LoadResult` does: declarations, diagnostics (and their order), file count and content hash.
@Suite struct BundleValidationTests {
    /// Queues in three files, a load error, duplicates across files, and the policies (one an escaped
    /// `Pol\u0069cy` in JSON) declared in later files than the queues they cover.
    static let files: [(path: String, text: String)] = [
        ("a-queues.yaml", "apiVersion: launchq/v1\nkind: Team\nname: ml-platform\n---\n" + jobQueue(gpus: "4") + "---\n" + jobQueue(gpus: "1", namespace: "other")),
        ("b-broken.yaml", "apiVersion: launchq/v1\nkind: RunQueue\nname: [unclosed\n"),
        ("c-more.json", #"{"apiVersion": "launchq/v1", "kind": "RunQueue", "entity": "ml-platform", "name": "q2", "resource_type": "kubernetes", "resource_config": {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "docker.io/x:1", "resources": {"limits": {"nvidia.com/gpu": 16}}}]}}}}}"#),
        ("d-policies.yaml", policyYAML("  max_gpus_per_job: 2\n  allowed_namespaces: [training]\n") + "apiVersion: launchq/v1\nname: no-kind\n---\n"
            + policyYAML("  allowed_image_prefixes: [\"us-docker.pkg.dev/\"]\n", name: "images", extra: "severity: warning\n")),
        ("e-escaped.json", #"{"apiVersion": "launchq/v1", "kind": "Pol\u0069cy", "name": "late", "rules": {"max_gpus_per_job": 8}}"#),
        ("f-restart.yaml", queueYAML("resource_config:\n  spec: {template: {spec: {restartPolicy: Never}}}\n").replacingOccurrences(of: "name: q1", with: "name: q3")),
    ]

    /// Every file loaded into one `LoadResult`, validated at once (the reference).
    static func together() -> ValidationReport {
        var load = LoadResult()
        for file in files {
            load.fileCount += 1
            DeclarationLoader().load(contents: Array(file.text.utf8), file: file.path, into: &load)
        }
        return Validator().validate(load)
    }

    static func expectSame(_ report: ValidationReport, as reference: ValidationReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(report.declarations == reference.declarations, sourceLocation: sourceLocation)
        #expect(report.diagnostics == reference.diagnostics, sourceLocation: sourceLocation)
        #expect(report.fileCount == reference.fileCount, sourceLocation: sourceLocation)
        #expect(report.contentHash == reference.contentHash, sourceLocation: sourceLocation)
    }

    @Test func fileByFileMatchesOneLoad() {
        let reference = Self.together()
        // The bundle exercises what the order depends on: a load error, a duplicate, document errors and policy findings.
        let codes = Set(reference.diagnostics.map(\.code.rawValue))
        #expect(codes.contains("identity.duplicate"))
        #expect(codes.contains("document.kind"))
        #expect(reference.diagnostics.first?.location?.file == "b-broken.yaml")
        let policyFiles = reference.diagnostics.filter { $0.code.rawValue.hasPrefix("policy.") }.compactMap(\.location?.file)
        #expect(policyFiles.contains("a-queues.yaml") && policyFiles.contains("c-more.json"))
        #expect(reference.diagnostics.contains { $0.hint == "policy \"late\" is declared at e-escaped.json:1:1" })
        #expect(reference.diagnostics.contains { $0.severity == .warning && $0.message.contains("policy \"images\"") })
        #expect(reference.fileCount == 6)
        // Load errors, then each document's, then the bundle rules', then the policies'.
        let firstPolicy = reference.diagnostics.firstIndex { $0.code.rawValue.hasPrefix("policy.") } ?? -1
        let duplicate = reference.diagnostics.firstIndex { $0.code == .identityDuplicate } ?? Int.max
        let kind = reference.diagnostics.firstIndex { $0.code == .documentKind } ?? Int.max
        #expect(kind < duplicate && duplicate < firstPolicy)

        let report = Validator().validate(fileCount: Self.files.count) { (Self.files[$0].path, Array(Self.files[$0].text.utf8)) }
        Self.expectSame(report, as: reference)
    }

    @Test func pathsFileByFileMatchesOneLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-validation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in Self.files { try Data(file.text.utf8).write(to: folder.appendingPathComponent(file.path)) }
        // A missing path between two readings of the folder: its diagnostic keeps its place among the load errors.
        let paths = [folder.path, folder.path + "/missing", folder.appendingPathComponent("b-broken.yaml").path]
        let reference = Validator().validate(DeclarationLoader().load(paths: paths))
        #expect(reference.diagnostics.contains { $0.message.hasPrefix("no such file or folder") })
        Self.expectSame(Validator().validate(paths: paths), as: reference)
    }

    @Test func whichFilesMayDeclareAPolicy() {
        #expect(BundleValidation.mayDeclarePolicy(Array("kind: Policy\n".utf8)))
        #expect(BundleValidation.mayDeclarePolicy(Array("{\"kind\":\"Policy\"}".utf8)))
        #expect(BundleValidation.mayDeclarePolicy(Array("Policy".utf8)))
        #expect(BundleValidation.mayDeclarePolicy(Array("kind: \"Pol\\x69cy\"".utf8)))
        #expect(!BundleValidation.mayDeclarePolicy(Array("restartPolicy: Never\nkind: RunQueue\n".utf8)))
        #expect(!BundleValidation.mayDeclarePolicy(Array("kind: Polic".utf8)))
    }

    /// A policy whose file was not given to the first pass still holds every queue (findings at the queue's document).
    @Test func aPolicyMissedByThePrePassStillApplies() {
        var load = LoadResult()
        DeclarationLoader().load(contents: Array((jobQueue(gpus: "4") + "---\n" + policyYAML("  max_gpus_per_job: 2\n")).utf8), file: "one.yaml", into: &load)
        var bundle = BundleValidation()
        bundle.add(load)
        let findings = bundle.finish().diagnostics.filter { $0.code.rawValue.hasPrefix("policy.") }
        #expect(findings.count == 1)
        #expect(findings.first?.location == SourceLocation(file: "one.yaml", line: 1, column: 1))
    }

    /// Taking the declarations after each file (as serve's draft does) leaves the diagnostics as they are: the
    /// rules across documents (duplicates, references) and the policies still see every declaration.
    @Test func takingTheDeclarationsAsTheyAreReadKeepsTheDiagnostics() {
        let reference = Self.together()
        func load(_ file: (path: String, text: String)) -> LoadResult {
            var load = LoadResult()
            load.fileCount = 1
            DeclarationLoader().load(contents: Array(file.text.utf8), file: file.path, into: &load)
            return load
        }
        var bundle = BundleValidation()
        for file in Self.files where BundleValidation.mayDeclarePolicy(Array(file.text.utf8)) { bundle.readPolicies(from: load(file)) }
        var taken: [Declaration] = []
        for file in Self.files {
            bundle.add(load(file))
            taken += bundle.takeDeclarations()
        }
        #expect(bundle.takeDeclarations().isEmpty)
        let report = bundle.finish()
        #expect(taken == reference.declarations)
        #expect(report.declarations.isEmpty)
        #expect(report.diagnostics == reference.diagnostics)
        #expect(report.fileCount == reference.fileCount)
    }

    /// Once the declarations were taken, a policy pass 1 was not given cannot be held to the queues: the bundle
    /// is refused with an error at the policy, never passed unchecked.
    @Test func aPolicyMissedByThePrePassRefusesABundleWhoseDeclarationsWereTaken() throws {
        let queue = jobQueue(gpus: "4")
        var load = LoadResult()
        DeclarationLoader().load(contents: Array((queue + "---\n" + policyYAML("  max_gpus_per_job: 2\n")).utf8), file: "one.yaml", into: &load)
        var bundle = BundleValidation()
        bundle.add(load)
        #expect(bundle.takeDeclarations().map(\.kind) == [.runQueue, .policy])
        let report = bundle.finish()
        #expect(!report.isValid(strict: false))
        #expect(report.declarations.isEmpty)
        #expect(!report.diagnostics.contains { $0.code.rawValue.hasPrefix("policy.") })
        let refusal = try #require(report.diagnostics.first { $0.code == .bundlePolicyUnchecked })
        #expect(refusal.code.rawValue == "bundle.policy-unchecked")
        #expect(refusal.severity == .error)
        #expect(refusal.message.contains("policy \"guard\""))
        let policyLine = queue.count(where: { $0 == "\n" }) + 2
        #expect(refusal.location == SourceLocation(file: "one.yaml", line: policyLine, column: 1))
    }
}
