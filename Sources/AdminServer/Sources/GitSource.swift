import Foundation

/// Declarations read from one branch of a git repository, kept checked out in a local directory.
///
/// The first ``pull()`` (or ``snapshot()``) clones the branch into ``checkout``; later pulls fetch it and hard-reset
/// the checkout to `origin/<branch>` (local edits and untracked files are discarded: the checkout belongs to launchq).
/// Snapshots read the checkout like ``DirectorySource`` (hidden `.git` skipped, escaping links refused) and record
/// the commit (`git rev-parse HEAD`) and its author (`git log -1 --format='%an <%ae>'`).
///
/// `git` runs as a child process with an argument list, never a shell string, and never prompts for credentials.
/// Credentials in an http(s) URL (`https://user:token@host/repo.git`) are sent by git as an `Authorization: Basic`
/// header given through its environment: never on a command line, never written to the checkout's `.git/config`,
/// and never shown in ``location``, errors or logs (`***@`).
/// Pulls and snapshots run one at a time, in call order (a queue, since an actor alone would interleave them at
/// every `await`), so a webhook pull and a scheduled one never run git in the same checkout at once and a
/// snapshot never sees a half-reset tree.
public actor GitSource: DeclarationSource, CustomStringConvertible {
    /// The branch followed.
    public nonisolated let branch: String
    /// The local directory holding the checkout.
    public nonisolated let checkout: String
    /// The repository URL with any `user:password@` replaced by `***@`.
    public nonisolated let redactedURL: String
    /// `redactedURL@branch`: what snapshots record as their location.
    public nonisolated var location: String { "\(redactedURL)@\(branch)" }
    /// Always `"git"`.
    public nonisolated var kind: String { "git" }
    public nonisolated var description: String { "GitSource(\(location))" }

    /// The URL as given, credentials included (kept only to recognise it in git's messages).
    private let url: String
    /// The URL git is given: for http(s), without `user:password@` (those travel in ``authorization``).
    private let gitURL: String
    /// `Basic base64(user:password)` for an http(s) URL with credentials.
    private let authorization: String?
    private var git: GitCommand?

    /// A source following `branch` of the repository at `url` (`file:///…`, `https://…`, `ssh://…`),
    /// checked out into `checkout` (created on first use; an existing non-git directory is refused).
    public init(url: String, branch: String, checkout: String) {
        self.url = url
        self.branch = branch
        self.checkout = checkout
        self.redactedURL = URLRedaction.redact(url)
        (self.gitURL, self.authorization) = Self.splitCredentials(url)
    }

    /// `https://user:pw@host/x` → (`https://host/x`, `Basic base64(user:pw)`), percent-escapes decoded;
    /// other URLs are returned unchanged (ssh and file URLs authenticate otherwise).
    static func splitCredentials(_ url: String) -> (url: String, authorization: String?) {
        guard let scheme = url.range(of: "://"), ["http", "https"].contains(url[..<scheme.lowerBound].lowercased()) else {
            return (url, nil)
        }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return (url, nil) }
        let userinfo = String(rest[..<at])
        let stripped = String(url[..<scheme.upperBound]) + rest[rest.index(after: at)...]
        let decoded = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            .map { String($0).removingPercentEncoding ?? String($0) }
            .joined(separator: ":")
        return (stripped, "Basic " + Data(decoded.utf8).base64EncodedString())
    }

    /// Clones the branch on first use, then fetches it and hard-resets the checkout to `origin/<branch>`.
    public func pull() async throws {
        try await serialized { try await $0.pullNow() }
    }

    private func pullNow() async throws {
        try GitSource.validate(branch: branch)
        let git = try gitCommand()
        if isCloned {
            try await run(git, "fetch", ["fetch", "--quiet", "--prune", "--no-tags", "origin",
                                         "+refs/heads/\(branch):refs/remotes/origin/\(branch)"], in: checkout)
            try await run(git, "reset", ["reset", "--quiet", "--hard", "refs/remotes/origin/\(branch)"], in: checkout)
            try await run(git, "clean", ["clean", "--quiet", "-ffdx"], in: checkout)
        } else {
            try prepareCheckoutDirectory()
            try await run(git, "clone", ["clone", "--quiet", "--no-tags", "--single-branch", "--branch", branch,
                                         "--", gitURL, checkout], in: nil)
        }
    }

    /// Reads the checked-out files (cloning first if nothing is checked out yet) with their commit and author.
    ///
    /// It does not fetch: call ``pull()`` to move to the branch's newest commit.
    public func snapshot() async throws -> SourceSnapshot {
        try await serialized { try await $0.snapshotNow() }
    }

    private func snapshotNow() async throws -> SourceSnapshot {
        if !isCloned { try await pullNow() }
        let git = try gitCommand()
        let commit = try await run(git, "rev-parse", ["rev-parse", "HEAD"], in: checkout)
        let author = try await run(git, "log", ["log", "-1", "--format=%an <%ae>"], in: checkout)
        var snapshot = try DirectorySource(path: checkout, kind: "git", location: location).read()
        snapshot.commit = commit.trimmingCharacters(in: .whitespacesAndNewlines)
        snapshot.author = author.trimmingCharacters(in: .whitespacesAndNewlines)
        return snapshot
    }

    /// The last queued operation; each new one waits for it.
    private var queueTail: Task<Void, Never>?

    /// Runs `operation` after every operation queued before it has finished.
    private func serialized<T: Sendable>(_ operation: @escaping @Sendable (GitSource) async throws -> T) async throws -> T {
        let previous = queueTail
        let task = Task<T, any Error> {
            await previous?.value
            return try await operation(self)
        }
        queueTail = Task { _ = try? await task.value }
        return try await task.value
    }

    private var isCloned: Bool {
        FileManager.default.fileExists(atPath: checkout + "/.git")
    }

    private func gitCommand() throws -> GitCommand {
        if let git { return git }
        var located = try GitCommand.locate()
        located.authorizationHeader = authorization
        git = located
        return located
    }

    /// Makes sure the clone can go to `checkout`: absent, or an empty directory.
    private func prepareCheckoutDirectory() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: checkout, isDirectory: &isDirectory) else {
            let parent = (checkout as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            return
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: checkout)) ?? []
        guard isDirectory.boolValue, entries.isEmpty else {
            throw SourceError(
                code: .invalidSource,
                message: "checkout directory \(checkout) exists and is not a git checkout of \(location); "
                    + "remove it or choose another directory")
        }
    }

    /// Runs git; a non-zero exit becomes a ``SourceError`` with git's message, credentials redacted.
    @discardableResult
    private func run(_ git: GitCommand, _ step: String, _ arguments: [String], in directory: String?) async throws -> String {
        let output = try await git.run(arguments, in: directory)
        guard output.status == 0 else {
            var detail = output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            if detail.isEmpty { detail = "exit status \(output.status)" }
            let lines = detail.split(separator: "\n").suffix(6).joined(separator: "; ")
            throw SourceError(
                code: .gitFailed,
                message: URLRedaction.redact("git \(step) of \(redactedURL) (branch \(branch)) failed: \(lines)")
                    .replacingOccurrences(of: url, with: redactedURL))
        }
        return output.standardOutput
    }

    /// Refuses branch names git could read as options or that could name something other than a branch.
    static func validate(branch: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+")
        guard !branch.isEmpty, !branch.hasPrefix("-"), !branch.hasPrefix("/"), !branch.hasSuffix("/"),
            !branch.contains(".."), !branch.hasSuffix(".lock"), branch.allSatisfy(allowed.contains)
        else {
            throw SourceError(
                code: .invalidSource,
                message: "'\(branch)' is not a branch name launchq accepts (letters, digits, '.', '_', '-', '+', '/'; no '..')")
        }
    }
}
