import Declarations
import Foundation

extension GitSource {
    /// A parsed `git+<url>@<branch>` source argument.
    public struct Reference: Sendable, Hashable, CustomStringConvertible {
        /// The repository URL without the `git+` prefix and branch (credentials included: pass only to git).
        public var url: String
        /// The branch (`main` when the argument names none).
        public var branch: String
        /// The URL with credentials redacted, then `@branch`.
        public var description: String { "\(URLRedaction.redact(url))@\(branch)" }
    }

    /// URL schemes accepted after `git+`.
    public static let schemes = ["file", "https", "http", "ssh"]

    /// Turns a `--source` / `LAUNCHQ_SOURCE` value into a source.
    ///
    /// * `git+file:///srv/decls.git@main`, `git+https://host/org/decls.git@release`, `git+ssh://git@host/decls.git`
    ///   (branch `main` when none is given) → a ``GitSource`` checked out into `checkout`, or, when `nil`, into
    ///   a directory under the system temporary directory named after the URL and branch.
    /// * anything else is a directory path, made absolute against the working directory → a ``DirectorySource``.
    ///
    /// Throws ``SourceError/Code/invalidSource`` for an empty value, an unknown scheme or a bad branch name.
    public static func parse(_ source: String, checkout: String? = nil) throws -> any DeclarationSource {
        guard !source.isEmpty else {
            throw SourceError(code: .invalidSource, message: "the declaration source is empty; give a directory or git+<url>@<branch>")
        }
        if source.hasPrefix("git+") {
            let reference = try parseReference(source)
            let directory = checkout ?? defaultCheckout(for: reference)
            return GitSource(url: reference.url, branch: reference.branch, checkout: directory)
        }
        if let scheme = source.range(of: "://") {
            throw SourceError(
                code: .invalidSource,
                message: "source '\(URLRedaction.redact(source))' looks like a URL; write git+\(source[..<scheme.lowerBound])://…@branch "
                    + "for a git repository")
        }
        return DirectorySource(path: URL(fileURLWithPath: source).standardizedFileURL.path)
    }

    /// Splits `git+<scheme>://<authority>/<path>[@<branch>]`.
    public static func parseReference(_ source: String) throws -> Reference {
        let shown = URLRedaction.redact(source)
        guard source.hasPrefix("git+") else {
            throw SourceError(code: .invalidSource, message: "git source '\(shown)' must start with git+")
        }
        let rest = source.dropFirst(4)
        guard let marker = rest.range(of: "://"), schemes.contains(String(rest[..<marker.lowerBound])) else {
            throw SourceError(
                code: .invalidSource,
                message: "git source '\(shown)': the URL scheme must be one of \(schemes.map { "git+\($0)://" }.joined(separator: ", "))")
        }
        let scheme = String(rest[..<marker.lowerBound])
        let afterScheme = rest[marker.upperBound...]
        // The branch is after the last '@' of the path part; an '@' in the authority is userinfo.
        let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        var url = String(rest)
        var branch = "main"
        if let at = afterScheme[pathStart...].lastIndex(of: "@") {
            url = String(rest[..<at])
            branch = String(afterScheme[afterScheme.index(after: at)...])
        }
        guard pathStart < afterScheme.endIndex, url.count > scheme.count + 4 else {
            throw SourceError(code: .invalidSource, message: "git source '\(shown)' has no repository path")
        }
        if scheme == "file", afterScheme[afterScheme.startIndex] != "/" {
            throw SourceError(
                code: .invalidSource, message: "git source '\(shown)': a file URL needs an absolute path (git+file:///path/repo@branch)")
        }
        try validate(branch: branch)
        return Reference(url: url, branch: branch)
    }

    /// `<tmp>/launchq-git-<16 hex digits of SHA-256(url@branch)>`.
    static func defaultCheckout(for reference: Reference) -> String {
        let hex = ContentHash.sha256(Array("\(reference.url)@\(reference.branch)".utf8)).prefix(16)
        let temporary = FileManager.default.temporaryDirectory.standardizedFileURL.path
        return temporary + "/launchq-git-" + hex
    }
}
