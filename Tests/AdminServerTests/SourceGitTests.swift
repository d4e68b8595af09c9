import AdminServer
import Foundation
import Testing

/// A real repository made with the `git` command in a temporary directory.
private struct TestRepository {
    let directory: SourceTempDirectory
    var path: String { directory.path }
    var url: String { "file://" + path }
    let git: String

    init() async throws {
        git = try #require(gitExecutable, "git is not installed")
        directory = try SourceTempDirectory("repo")
        try await runCommand(git, ["init", "--quiet", "--initial-branch=main", path])
    }

    /// Writes files and commits them as `author`; returns the new commit id.
    @discardableResult
    func commit(_ files: [String: String], message: String, author: String = "Ada Lovelace", email: String = "ada@example.com") async throws -> String {
        for (name, text) in files { try directory.write(name, text) }
        try await runCommand(git, ["add", "--all"], in: path)
        try await runCommand(git, ["commit", "--quiet", "-m", message], in: path, environment: [
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email,
        ])
        return try await runCommand(git, ["rev-parse", "HEAD"], in: path).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite("Git source", .enabled(if: gitExecutable != nil, "needs the git command"))
struct SourceGitTests {
    @Test("clones on first snapshot; records commit and author; skips .git")
    func cloneAndSnapshot() async throws {
        let repo = try await TestRepository()
        let first = try await repo.commit(["queues/gpu.yaml": "kind: RunQueue\n", "README.md": "x"], message: "first")
        let checkout = try SourceTempDirectory("checkout")
        let source = GitSource(url: repo.url, branch: "main", checkout: checkout.path + "/clone")
        let snapshot = try await source.snapshot()
        #expect(snapshot.kind == "git")
        #expect(snapshot.location == repo.url + "@main")
        #expect(snapshot.commit == first)
        #expect(snapshot.author == "Ada Lovelace <ada@example.com>")
        #expect(snapshot.files.map(\.path) == ["queues/gpu.yaml"])
    }

    @Test("pull after a new commit changes the files and the commit id; local edits are discarded")
    func pullAfterNewCommit() async throws {
        let repo = try await TestRepository()
        let first = try await repo.commit(["a.yaml": "kind: Team\nname: one\n"], message: "first")
        let checkout = try SourceTempDirectory("checkout")
        let source = GitSource(url: repo.url, branch: "main", checkout: checkout.path + "/clone")
        try await source.pull()
        #expect(try await source.snapshot().commit == first)

        let second = try await repo.commit(
            ["a.yaml": "kind: Team\nname: two\n", "b.json": "{}"], message: "second", author: "Grace Hopper", email: "grace@example.com")
        // Without a pull the snapshot stays on the old commit.
        #expect(try await source.snapshot().commit == first)
        // A stray file in the checkout is removed by the pull.
        try Data("kind: Stray\n".utf8).write(to: URL(fileURLWithPath: checkout.path + "/clone/stray.yaml"))
        try await source.pull()
        let snapshot = try await source.snapshot()
        #expect(snapshot.commit == second)
        #expect(snapshot.commit != first)
        #expect(snapshot.author == "Grace Hopper <grace@example.com>")
        #expect(snapshot.files.map(\.path) == ["a.yaml", "b.json"])
        #expect(snapshot.files[0].contents == Array("kind: Team\nname: two\n".utf8))
    }

    @Test("follows the named branch, not the default one")
    func followsBranch() async throws {
        let repo = try await TestRepository()
        try await repo.commit(["a.yaml": "on main\n"], message: "main")
        try await runCommand(repo.git, ["checkout", "--quiet", "-b", "release"], in: repo.path)
        let release = try await repo.commit(["a.yaml": "on release\n"], message: "release")
        try await runCommand(repo.git, ["checkout", "--quiet", "main"], in: repo.path)
        let checkout = try SourceTempDirectory("checkout")
        let source = try #require(try GitSource.parse("git+\(repo.url)@release", checkout: checkout.path + "/c") as? GitSource)
        let snapshot = try await source.snapshot()
        #expect(snapshot.commit == release)
        #expect(snapshot.files.first?.contents == Array("on release\n".utf8))
    }

    @Test("a repository that does not exist is a clear gitFailed error naming it")
    func badURL() async throws {
        let checkout = try SourceTempDirectory("checkout")
        let source = GitSource(url: "file:///nonexistent/launchq/repo.git", branch: "main", checkout: checkout.path + "/c")
        let error = await #expect(throws: SourceError.self) { try await source.pull() }
        #expect(error?.code == .gitFailed)
        #expect(error?.message.contains("file:///nonexistent/launchq/repo.git") == true)
        #expect(error?.message.contains("clone") == true)
    }

    @Test("a branch that does not exist is a clear error")
    func missingBranch() async throws {
        let repo = try await TestRepository()
        try await repo.commit(["a.yaml": "x: 1\n"], message: "first")
        let checkout = try SourceTempDirectory("checkout")
        let source = GitSource(url: repo.url, branch: "nope", checkout: checkout.path + "/c")
        let error = await #expect(throws: SourceError.self) { try await source.snapshot() }
        #expect(error?.code == .gitFailed)
        #expect(error?.message.contains("nope") == true)
    }

    @Test("credentials in an https URL never appear in errors, locations or descriptions")
    func credentialsRedacted() async throws {
        let checkout = try SourceTempDirectory("checkout")
        // Port 9 on localhost: nothing listens, so the clone fails fast without leaving the machine.
        let url = "https://launchq-bot:s3cr3t-t0ken@127.0.0.1:9/org/decls.git"
        let source = GitSource(url: url, branch: "main", checkout: checkout.path + "/c")
        #expect(source.location == "https://***@127.0.0.1:9/org/decls.git@main")
        #expect(!String(describing: source).contains("s3cr3t"))
        let error = await #expect(throws: SourceError.self) { try await source.pull() }
        #expect(error?.code == .gitFailed)
        let message = try #require(error?.message)
        #expect(!message.contains("s3cr3t-t0ken"))
        #expect(!message.contains("launchq-bot"))
        #expect(message.contains("***@127.0.0.1:9"))
    }

    @Test("an existing non-git checkout directory is refused, not overwritten")
    func foreignCheckoutRefused() async throws {
        let repo = try await TestRepository()
        try await repo.commit(["a.yaml": "x: 1\n"], message: "first")
        let checkout = try SourceTempDirectory("checkout")
        try checkout.write("precious.txt", "keep me")
        let source = GitSource(url: repo.url, branch: "main", checkout: checkout.path)
        let error = await #expect(throws: SourceError.self) { try await source.pull() }
        #expect(error?.code == .invalidSource)
        #expect(FileManager.default.fileExists(atPath: checkout.path + "/precious.txt"))
    }

    @Test("a committed symbolic link out of the repository is refused")
    func committedSymlinkEscape() async throws {
        let repo = try await TestRepository()
        try await repo.commit(["a.yaml": "x: 1\n"], message: "first")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/passwd.yaml", withDestinationPath: "/etc/passwd")
        try await repo.commit([:], message: "link")
        let checkout = try SourceTempDirectory("checkout")
        let source = GitSource(url: repo.url, branch: "main", checkout: checkout.path + "/c")
        let error = await #expect(throws: SourceError.self) { try await source.snapshot() }
        #expect(error?.code == .symlinkEscapes)
    }
}

@Suite("Source argument parsing")
struct SourceParseTests {
    @Test("git+file and git+https forms, with and without a branch and credentials")
    func gitForms() throws {
        let file = try GitSource.parseReference("git+file:///srv/decls.git@release/2026")
        #expect(file.url == "file:///srv/decls.git")
        #expect(file.branch == "release/2026")
        let https = try GitSource.parseReference("git+https://bot:tok@github.com/org/decls.git@main")
        #expect(https.url == "https://bot:tok@github.com/org/decls.git")
        #expect(https.branch == "main")
        #expect(https.description == "https://***@github.com/org/decls.git@main")
        let noBranch = try GitSource.parseReference("git+https://bot:tok@github.com/org/decls.git")
        #expect(noBranch.url == "https://bot:tok@github.com/org/decls.git")
        #expect(noBranch.branch == "main")
        let ssh = try GitSource.parseReference("git+ssh://git@github.com/org/decls.git@prod")
        #expect(ssh.url == "ssh://git@github.com/org/decls.git" && ssh.branch == "prod")
    }

    @Test("parse gives a GitSource for git+ and a DirectorySource for a path")
    func parseKinds() throws {
        let git = try #require(try GitSource.parse("git+https://h.example/r.git@b", checkout: "/tmp/x") as? GitSource)
        #expect(git.branch == "b" && git.checkout == "/tmp/x" && git.redactedURL == "https://h.example/r.git")
        let defaultCheckout = try #require(try GitSource.parse("git+https://h.example/r.git@b") as? GitSource)
        #expect(defaultCheckout.checkout.contains("launchq-git-"))
        let directory = try #require(try GitSource.parse("/srv/decls") as? DirectorySource)
        #expect(directory.path == "/srv/decls")
    }

    @Test("refused forms give invalidSource without echoing credentials", arguments: [
        "", "git+ftp://h/r.git@main", "https://u:pw@h/r.git", "git+https://u:pw@h", "git+file://relative/r.git@main",
        "git+https://u:pw@h/r.git@--upload-pack=evil", "git+https://u:pw@h/r.git@a..b", "git+https://u:pw@h/r.git@",
        "git+https://u:pw@h/r.git@x;rm",
    ])
    func refused(source: String) {
        let error = #expect(throws: SourceError.self) { try GitSource.parse(source) }
        #expect(error?.code == .invalidSource)
        #expect(error?.message.contains(":pw@") == false)
    }

    @Test("redaction rewrites every scheme://userinfo@ and leaves other text alone")
    func redaction() {
        #expect(URLRedaction.redact("fatal: https://u:p@h/x and ssh://git@h:22/y") == "fatal: https://***@h/x and ssh://***@h:22/y")
        #expect(URLRedaction.redact("https://h/x@main") == "https://h/x@main")
        #expect(URLRedaction.redact("no url here") == "no url here")
    }
}

@Suite("Git source concurrency", .enabled(if: gitExecutable != nil, "needs the git command"))
struct SourceGitConcurrencyTests {
    @Test("concurrent pulls and snapshots (webhook and schedule at once) never collide in the checkout")
    func concurrentPulls() async throws {
        let git = try #require(gitExecutable)
        let repo = try SourceTempDirectory("repo")
        try await runCommand(git, ["init", "--quiet", "--initial-branch=main", repo.path])
        let identity = ["GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
                        "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com"]
        var commits: [String] = []
        for round in 0..<3 {
            try repo.write("a.yaml", "round: \(round)\n")
            try await runCommand(git, ["add", "--all"], in: repo.path)
            try await runCommand(git, ["commit", "--quiet", "-m", "round \(round)"], in: repo.path, environment: identity)
            commits.append(try await runCommand(git, ["rev-parse", "HEAD"], in: repo.path).trimmingCharacters(in: .whitespacesAndNewlines))

            let checkout = try SourceTempDirectory("checkout")
            let source = GitSource(url: "file://" + repo.path, branch: "main", checkout: checkout.path + "/c")
            // Eight pulls and eight snapshots at once, the first of them cloning.
            let snapshots = try await withThrowingTaskGroup(of: SourceSnapshot?.self) { group in
                for index in 0..<16 {
                    group.addTask { index.isMultiple(of: 2) ? try await source.snapshot() : (try await source.pull(), nil).1 }
                }
                var all: [SourceSnapshot] = []
                for try await snapshot in group { if let snapshot { all.append(snapshot) } }
                return all
            }
            #expect(snapshots.count == 8)
            for snapshot in snapshots {
                #expect(snapshot.commit == commits.last)
                #expect(snapshot.files.map(\.path) == ["a.yaml"])
                #expect(snapshot.files.first?.contents == Array("round: \(round)\n".utf8))
            }
        }
    }
}
