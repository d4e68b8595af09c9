import AdminServer
import Foundation
import Store
import Testing

@Suite("Status page: policies")
struct StatusPagePolicyTests {
    static func record(_ name: String, _ document: String) -> DeclarationRecord {
        DeclarationRecord(kind: "Policy", identity: name, contentHash: "h", document: document, file: "policies.yaml", line: 1, column: 1)
    }

    @Test func thePoliciesOfTheRevisionAreListedEscaped() throws {
        let hostile = "<script>alert(1)</script>"
        let rows = [
            Self.record("gpu-budget", #"{"kind":"Policy","name":"gpu-budget","rules":{"allowed_namespaces":["training"],"max_gpus_per_job":8},"scope":{"entities":["vision-*"]},"severity":"error"}"#),
            Self.record("links", #"{"kind":"Policy","name":"links","rules":{"required_links":["\#(hostile)"]},"severity":"warning"}"#),
        ].compactMap(StatusPage.Model.PolicyRow.init)
        #expect(rows.count == 2)
        #expect(rows.first == StatusPage.Model.PolicyRow(
            name: "gpu-budget", severity: "error", scope: "entities vision-*", rules: "allowed_namespaces training; max_gpus_per_job 8"))
        #expect(rows.last?.scope == "all queues")
        #expect(StatusPage.Model.PolicyRow(DeclarationRecord(kind: "RunQueue", identity: "a/b", contentHash: "h", document: "{}", file: "f", line: 1, column: 1)) == nil)

        var model = StatusPage.Model(objects: [], revision: nil, events: [])
        let without = StatusPage.render(model)
        #expect(!without.contains("<h2>Policies</h2>"))
        model.policies = rows
        let page = StatusPage.render(model)
        #expect(page.contains("<h2>Policies</h2>"))
        #expect(page.contains("<code>gpu-budget</code>"))
        #expect(page.contains("allowed_namespaces training; max_gpus_per_job 8"))
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
}
