import AdminServer
import Foundation
import Store
import Testing

/// Store rows whose every free-text field tries to break out of HTML.
enum HostileStatus {
    static let script = "<script>alert('x')</script>"
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static var objects: [ObjectStatus] {
        [
            ObjectStatus(
                key: ObjectKey(kind: "RunQueue", identity: "acme/\(script)"), state: .failed,
                lastError: "upsert refused: \"</td></tr></table><script>document.title='pwned'</script>\" & <img src=x onerror=alert(1)>",
                attempts: 2, lastReconciledAt: now),
            ObjectStatus(key: ObjectKey(kind: "Team", identity: "acme\" onmouseover=\"alert(1)"), state: .ready, lastReconciledAt: now),
            ObjectStatus(key: ObjectKey(kind: "User", identity: "ada@example.com"), state: .drifted),
            ObjectStatus(key: ObjectKey(kind: "Project", identity: "acme/<b>bold</b>"), state: .pending),
        ]
    }

    static var revision: Revision {
        Revision(
            number: 7,
            source: RevisionSource(
                kind: "git", location: "https://***@git.example/decls.git@main", commit: "0123456789abcdef0123456789abcdef01234567",
                author: "Mallory <mallory@example.com><script>alert(2)</script>"),
            createdAt: now, contentHash: "abcdef0123456789abcdef", declarationCount: 4)
    }

    static var events: [Event] {
        [
            Event(id: 2, occurredAt: now, draft: EventDraft(
                actor: "token:<ci>", object: ObjectKey(kind: "RunQueue", identity: "acme/\(script)"), action: "update",
                outcome: .failed, message: "<iframe src=javascript:alert(3)></iframe>")),
            Event(id: 1, occurredAt: now, draft: EventDraft(actor: "reconciler", action: "revision.publish", outcome: .succeeded)),
        ]
    }

    static var page: String {
        StatusPage.render(StatusPage.Model(objects: objects, revision: revision, events: events, notice: "Suspended <by> ops", now: now))
    }
}

@Suite("Status page")
struct StatusPageTests {
    @Test("hostile names, errors, authors and messages come out escaped: no injected element survives")
    func escapesEverything() throws {
        let page = HostileStatus.page
        // The template has no <script>, <img> or <iframe> of its own, so any such tag would be an injection.
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<iframe"))
        #expect(!page.contains("<b>bold"))
        #expect(!page.contains("\" onmouseover=\""))
        #expect(!page.contains("</td></tr></table><script"))
        #expect(page.contains("acme/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(page.contains("acme&quot; onmouseover=&quot;alert(1)"))
        #expect(page.contains("&lt;iframe src=javascript:alert(3)&gt;&lt;/iframe&gt;"))
        #expect(page.contains("Mallory &lt;mallory@example.com&gt;&lt;script&gt;"))
        #expect(page.contains("token:&lt;ci&gt;"))
        #expect(page.contains("Suspended &lt;by&gt; ops"))
        // Exactly the page's own table structure: 2 tables (objects, events), one row per object and event plus headers.
        #expect(page.components(separatedBy: "<table>").count - 1 == 2)
        #expect(page.components(separatedBy: "<tr>").count - 1 == 4 + 2 + 2)
        if let out = ProcessInfo.processInfo.environment["LAUNCHQ_STATUS_PAGE_OUT"] {
            try Data(page.utf8).write(to: URL(fileURLWithPath: out))
        }
    }

    @Test("shows state, drift, last error, revision with commit and author, and events")
    func content() {
        let page = HostileStatus.page
        #expect(page.contains("<span class=\"state state-failed\">failed</span> 1"))
        #expect(page.contains("<span class=\"state state-drifted\">drifted</span> 1"))
        #expect(page.contains("<dt>Revision</dt><dd>7</dd>"))
        #expect(page.contains("<code>0123456789abcdef0123456789abcdef01234567</code>"))
        #expect(page.contains("https://***@git.example/decls.git@main"))
        #expect(page.contains("2026-11-30 00:53:20 UTC"))
        #expect(page.contains("upsert refused"))
        #expect(page.contains("revision.publish"))
        #expect(page.contains("<span class=\"muted\">never</span>"))
        // Needing attention first: failed, then drifted, pending, ready.
        let failed = page.range(of: "state-failed\">failed</span></td>")!.lowerBound
        let drifted = page.range(of: "state-drifted\">drifted</span></td>")!.lowerBound
        let ready = page.range(of: "state-ready\">ready</span></td>")!.lowerBound
        #expect(failed < drifted && drifted < ready)
        // No scripts, no external assets (the escaped hostile text contains "src=", but never as a tag).
        #expect(!page.contains("<link"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("url("))
        #expect(!page.contains("href="))
    }

    @Test("an empty store renders the empty states")
    func empty() {
        let page = StatusPage.render(StatusPage.Model(objects: [], revision: nil, events: []))
        #expect(page.contains("No revision stored yet."))
        #expect(page.contains("No managed objects yet."))
        #expect(page.contains("No events yet."))
        #expect(!page.contains("<table>"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("the model formats dates in UTC and orders objects by attention")
    func model() {
        let model = StatusPage.Model(
            objects: HostileStatus.objects, revision: HostileStatus.revision, events: HostileStatus.events,
            now: Date(timeIntervalSince1970: 0))
        #expect(model.generatedAt == "1970-01-01 00:00:00 UTC")
        #expect(model.objects.map(\.state) == ["failed", "drifted", "pending", "ready"])
        #expect(model.counts.map(\.state) == ["failed", "drifted", "pending", "ready"])
        #expect(model.counts.map(\.count) == [1, 1, 1, 1])
        #expect(model.revision?.contentHash == "abcdef012345")
        #expect(model.events.first?.object == "RunQueue acme/\(HostileStatus.script)")
    }
}
