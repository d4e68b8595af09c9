import Declarations
import HTTPTypes
import JSON
import Store

/// The body of `POST /v1/revisions` and `POST /v1/validate`: declaration files, and where they came from.
///
/// ```json
/// {"files": [{"path": "queues/a100.yaml", "content": "apiVersion: launchq/v1\n..."}],
///  "source": {"kind": "git", "location": "https://github.com/acme/queues@main", "commit": "3f2c…", "author": "Ada <ada@acme.io>"}}
/// ```
/// `source` is optional (default: kind `api`, the token's name as location and author).
public struct Bundle: Codable, Sendable {
    /// One declaration file; `.json` paths are read as JSON, anything else as YAML.
    public struct File: Codable, Sendable {
        public var path: String
        public var content: String
    }

    /// Provenance recorded with the revision.
    public struct Source: Codable, Sendable {
        /// `api` (default), `git` or `directory`.
        public var kind: String?
        public var location: String?
        public var commit: String?
        public var author: String?
    }

    public var files: [File]
    public var source: Source?

    /// Checks what the declaration rules cannot: at least one file, paths present, unique and inside the
    /// bundle by the directory source's rule (``SourcePath/validateRelative(_:)``: not absolute, no empty,
    /// `.` or `..` component).
    func checkFiles() throws {
        guard !files.isEmpty else { throw APIError.badRequest("the bundle has no files", details: .object(["path": .string("/files")])) }
        var seen: Set<String> = []
        for (index, file) in files.enumerated() {
            guard !file.path.isEmpty, file.path.utf8.count <= 1024, !file.path.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw APIError.badRequest(
                    "files[\(index)].path must be 1 to 1024 characters without control characters",
                    details: .object(["path": .string("/files/\(index)/path")]))
            }
            do {
                try SourcePath.validateRelative(file.path)
            } catch let error as SourceError {
                throw APIError.badRequest(
                    "files[\(index)].path: \(error.message); a bundle's paths are relative and stay inside it. Nothing was stored",
                    details: .object(["path": .string("/files/\(index)/path"), "file": .string(file.path), "reason": .string(error.code.description)]))
            }
            guard seen.insert(file.path).inserted else {
                throw APIError.badRequest(
                    "files[\(index)].path '\(file.path)' appears twice; nothing was stored",
                    details: .object(["path": .string("/files/\(index)/path"), "file": .string(file.path)]))
            }
        }
    }

    /// Validates the files as one set of declarations.
    func validate(kubernetesVersion: KubernetesVersion = .newest) throws -> ValidationReport {
        try checkFiles()
        // One file's bytes and documents at a time (the files are not copied to bytes all at once).
        return Validator(kubernetesVersion: kubernetesVersion).validate(fileCount: files.count) { (files[$0].path, Array(files[$0].content.utf8)) }
    }

    /// Validates the files as one set of declarations and refuses invalid ones: 400 `invalid_bundle` with every
    /// diagnostic in `details.diagnostics` (`POST /v1/revisions` and `POST /v1/plan` share this answer).
    func validated(kubernetesVersion: KubernetesVersion = .newest) throws -> ValidationReport {
        let report = try validate(kubernetesVersion: kubernetesVersion)
        try report.refuseIfInvalid()
        return report
    }

    /// The revision source, filling in defaults from the pushing token.
    func revisionSource(actor: String) throws -> RevisionSource {
        let kind = source?.kind ?? "api"
        guard RevisionSource.kinds.contains(kind) else {
            throw APIError.badRequest(
                "source.kind must be one of \(RevisionSource.kinds.sorted().joined(separator: ", ")), got '\(kind)'",
                details: .object(["path": .string("/source/kind")]))
        }
        return RevisionSource(kind: kind, location: source?.location ?? actor, commit: source?.commit, author: source?.author ?? actor)
    }
}

extension ValidationReport {
    /// Refuses an invalid bundle: 400 `invalid_bundle` with every diagnostic in `details.diagnostics`.
    func refuseIfInvalid() throws {
        guard isValid(strict: false) else {
            throw APIError(
                .invalidBundle, status: .badRequest, message: "the declarations are invalid: \(summary)\(policyNote); nothing was stored",
                details: .object(["diagnostics": diagnosticsJSON]))
        }
    }

    /// The diagnostics as JSON for API answers.
    var diagnosticsJSON: JSONValue {
        .array(diagnostics.map { diagnostic in
            var members: [String: JSONValue] = [
                "severity": .string(diagnostic.severity.rawValue), "code": .string(diagnostic.code.rawValue),
                "message": .string(diagnostic.message), "path": .string(diagnostic.path.description),
            ]
            if let location = diagnostic.location {
                members["file"] = .string(location.file)
                members["line"] = .integer(location.line)
                members["column"] = .integer(location.column)
            }
            if let hint = diagnostic.hint { members["hint"] = .string(hint) }
            return .object(members)
        })
    }
}
