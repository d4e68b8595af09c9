import AdminServer
import Declarations
import Foundation
import Store
import Testing

/// What `serve` validates (pushes, source syncs) uses `--kubernetes-version`; stored revisions read back regardless.
@Suite("serve and the runner schemas")
struct RunnerSchemaServeTests {
    /// A queue whose Job sets `spec.scheduling`, a member Kubernetes 1.37 has and 1.34 does not.
    let queue = """
        apiVersion: launchq/v1
        kind: RunQueue
        entity: ml-platform
        name: scheduled
        resource_type: kubernetes
        resource_config:
          spec:
            scheduling: {}

        """

    @Test func pushesAndSyncsUseTheConfiguredKubernetesVersion() throws {
        let files = [(path: "queue.yaml", contents: Array(queue.utf8))]
        #expect(DesiredStateCodec.validate(files: files, kubernetesVersion: try #require(KubernetesVersion("1.37"))).errorCount == 0)
        let old = DesiredStateCodec.validate(files: files, kubernetesVersion: try #require(KubernetesVersion("1.34")))
        #expect(old.diagnostics.map(\.code).contains(.runnerUnknownField))
        #expect(!old.isValid(strict: false))
        #expect(AdminServer.Configuration().kubernetesVersion == .newest)
    }

    @Test func aStoredRevisionReadsBackWhateverTheSchemaSaysNow() throws {
        // Stored under one version (or older schema data), read back under another: still readable.
        let text = queue.replacingOccurrences(of: "scheduling: {}", with: "schedulingPolicy: {}")
        var load = LoadResult()
        DeclarationLoader().load(contents: Array(text.utf8), file: "queue.yaml", into: &load)
        let report = Validator(checksRunnerSchemas: false).validate(load)
        try #require(report.errorCount == 0)
        #expect(Validator().validate(load).diagnostics.map(\.code).contains(.runnerUnknownField))
        let draft = DesiredStateCodec.draft(from: report, source: RevisionSource(kind: "directory", location: "queues"))
        let back = try DesiredStateCodec.declarations(from: draft.declarations)
        #expect(back.map(\.contentHash) == report.declarations.map(\.contentHash))
    }
}
