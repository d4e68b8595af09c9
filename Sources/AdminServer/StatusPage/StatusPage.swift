import Mustache

/// The small server-rendered HTML status page served at `GET /`.
///
/// Plain HTML with inline CSS: no JavaScript, no external assets. Every value goes through Mustache's default
/// HTML escaping (`{{value}}`; the template has no `{{{…}}}`), so names made to break HTML come out as text.
public struct StatusPage {
    /// The page for `model`.
    public static func render(_ model: Model) -> String {
        var context: [String: Any] = [
            "title": model.title, "generatedAt": model.generatedAt, "counts": model.counts,
            "objects": model.objects, "events": model.events,
            "hasObjects": !model.objects.isEmpty, "hasEvents": !model.events.isEmpty,
            "policies": model.policies, "hasPolicies": !model.policies.isEmpty,
            "backlog": model.backlog, "hasBacklog": !model.backlog.isEmpty,
        ]
        // Absent keys render as empty sections; an Optional boxed in Any would not.
        if let notice = model.notice { context["notice"] = notice }
        if let revision = model.revision { context["revision"] = revision }
        if let next = model.nextPage { context["nextPage"] = next }
        if let summary = model.pageSummary { context["pageSummary"] = summary }
        return template.render(context)
    }

    /// The template, parsed once; a parse failure is a programming error caught by the tests.
    static let template: MustacheTemplate = {
        do {
            return try MustacheTemplate(string: source)
        } catch {
            fatalError("StatusPage template does not parse: \(error)")
        }
    }()

    static let source = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} status</title>
        <style>
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2327; background: #f6f7f7; margin: 0; }
        main { max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
        .muted { color: #646970; }
        .notice { background: #fcf0e1; border-left: 4px solid #dba617; padding: .5rem .75rem; margin: 1rem 0; }
        .summary span { display: inline-block; margin-right: .75rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #dcdcde; vertical-align: top; }
        th { background: #f0f0f1; font-weight: 600; }
        td.error, td.message { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 13px;
          white-space: pre-wrap; word-break: break-word; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 13px; }
        .state { font-weight: 600; padding: .05rem .45rem; border-radius: .6rem; font-size: 13px; }
        .state-ready, .outcome-succeeded { background: #e6f4ea; color: #1e6b34; }
        .state-pending, .outcome-started, .outcome-skipped { background: #eef1f5; color: #3c4a5c; }
        .state-drifted, .state-orphaned, .outcome-refused { background: #fcf0e1; color: #8a5a00; }
        .state-failed, .outcome-failed { background: #fbeaea; color: #a1252a; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; padding: .75rem 1rem; margin: 0; }
        dt { color: #646970; }
        dd { margin: 0; }
        </style>
        </head>
        <body>
        <main>
        <h1>{{title}}</h1>
        <p class="muted">Status at {{generatedAt}}</p>
        {{#notice}}<p class="notice">{{notice}}</p>{{/notice}}
        <p class="summary">
        {{#counts}}<span><span class="state state-{{state}}">{{state}}</span> {{count}}</span>{{/counts}}
        {{^counts}}<span class="muted">No managed objects yet.</span>{{/counts}}
        </p>

        <h2>Current revision</h2>
        {{#revision}}
        <dl>
        <dt>Revision</dt><dd>{{number}}</dd>
        <dt>Source</dt><dd>{{sourceKind}} <code>{{location}}</code></dd>
        {{#commit}}<dt>Commit</dt><dd><code>{{commit}}</code></dd>{{/commit}}
        {{#author}}<dt>Author</dt><dd>{{author}}</dd>{{/author}}
        <dt>Stored</dt><dd>{{createdAt}}</dd>
        <dt>Declarations</dt><dd>{{declarationCount}} (content <code>{{contentHash}}</code>)</dd>
        </dl>
        {{/revision}}
        {{^revision}}<p class="muted">No revision stored yet.</p>{{/revision}}

        {{#hasPolicies}}
        <h2>Policies</h2>
        <table>
        <thead><tr><th>Policy</th><th>Severity</th><th>Scope</th><th>Rules</th></tr></thead>
        <tbody>
        {{#policies}}
        <tr><td><code>{{name}}</code></td><td>{{severity}}</td><td>{{scope}}</td><td class="message">{{rules}}</td></tr>
        {{/policies}}
        </tbody>
        </table>
        {{/hasPolicies}}

        {{#hasBacklog}}
        <h2>Queue backlog</h2>
        <table>
        <thead><tr><th>Queue</th><th>Pending items</th><th>Oldest waiting</th></tr></thead>
        <tbody>
        {{#backlog}}
        <tr><td><code>{{queue}}</code></td><td>{{pendingItems}}</td><td>{{oldestWait}}</td></tr>
        {{/backlog}}
        </tbody>
        </table>
        {{/hasBacklog}}

        <h2>Objects</h2>
        {{#pageSummary}}<p class="muted">{{pageSummary}} · <a href="?">all objects</a></p>{{/pageSummary}}
        {{#hasObjects}}
        <table>
        <thead><tr><th>Kind</th><th>Identity</th><th>State</th><th>Last error</th><th>Last reconciled</th></tr></thead>
        <tbody>
        {{#objects}}
        <tr>
        <td>{{kind}}</td>
        <td><code>{{identity}}</code></td>
        <td><span class="state state-{{state}}">{{state}}</span></td>
        <td class="error">{{lastError}}</td>
        <td>{{#lastReconciledAt}}{{lastReconciledAt}}{{/lastReconciledAt}}{{^lastReconciledAt}}<span class="muted">never</span>{{/lastReconciledAt}}</td>
        </tr>
        {{/objects}}
        </tbody>
        </table>
        {{/hasObjects}}
        {{^objects}}<p class="muted">No managed objects yet.</p>{{/objects}}
        {{#nextPage}}<p><a href="{{nextPage}}">Next page</a></p>{{/nextPage}}

        <h2>Recent events</h2>
        {{#hasEvents}}
        <table>
        <thead><tr><th>Time</th><th>Actor</th><th>Action</th><th>Object</th><th>Outcome</th><th>Message</th></tr></thead>
        <tbody>
        {{#events}}
        <tr>
        <td>{{occurredAt}}</td>
        <td>{{actor}}</td>
        <td>{{action}}</td>
        <td><code>{{object}}</code></td>
        <td><span class="state outcome-{{outcome}}">{{outcome}}</span></td>
        <td class="message">{{message}}</td>
        </tr>
        {{/events}}
        </tbody>
        </table>
        {{/hasEvents}}
        {{^events}}<p class="muted">No events yet.</p>{{/events}}
        </main>
        </body>
        </html>
        """#
}
