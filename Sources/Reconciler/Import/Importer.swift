import Declarations
import Foundation
import JSON
import Planning
import WandbAPI
import WandbModel

/// One declaration file `launchq import` writes.
public struct ImportedFile: Sendable, Equatable {
    /// The path inside the output folder, `/`-separated (`queues/gpu.yaml`).
    public var path: String
    /// The YAML text.
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Turns what W&B holds for an entity into declarations, one file per object. Pure: no I/O.
///
/// Layout: `team.yaml` (the Team with its members; only for team entities), `projects/<name>.yaml` (every project
/// but `model-registry`, which launchq implies for queues) and `queues/<name>.yaml`. Planning the files right after
/// an import shows no changes: every field is written as W&B holds it, in launchq's canonical form.
public struct Importer: Sendable {
    /// Settings of an import.
    public struct Configuration: Sendable {
        /// When the import happened, for the header comment.
        public var importedAt: Date
        /// Where from (a W&B URL), for the header comment; never a key.
        public var source: String?

        public init(importedAt: Date = Date(), source: String? = nil) {
            self.importedAt = importedAt
            self.source = source
        }
    }

    /// File stems longer than this are cut (file systems allow 255 bytes; a suffix must still fit).
    static let maxStemBytes = 100

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The files declaring `entity` as W&B holds it, sorted by path.
    /// - Throws: ``ImportError/Code/entityNotFound`` when the entity does not exist on W&B.
    public func files(for entity: ObservedState.Entity) throws(ImportError) -> [ImportedFile] {
        guard entity.exists else {
            throw ImportError(.entityNotFound, "W&B has no entity named \(entity.name) (absent or not visible to this API key)")
        }
        var files: [ImportedFile] = []
        if entity.isTeam { files.append(teamFile(entity)) }

        let projects = entity.projects.filter { $0.key != Planner.launchProject }
        let projectStems = Self.fileStems(for: Array(projects.keys))
        for (name, project) in projects {
            var fields = header(kind: .project) + [("entity", .string(entity.name)), ("name", .string(name))]
            if let description = project.description { fields.append(("description", .string(description))) }
            files.append(ImportedFile(path: "projects/\(projectStems[name]!).yaml", text: document(fields, what: "project \(entity.name)/\(name)")))
        }

        let queueStems = Self.fileStems(for: Array(entity.queues.keys))
        for (name, queue) in entity.queues {
            files.append(ImportedFile(path: "queues/\(queueStems[name]!).yaml", text: document(queueFields(queue.state), what: "queue \(entity.name)/\(name)")))
        }
        return files.sorted { $0.path < $1.path }
    }

    // MARK: - Documents

    private func header(kind: Declaration.Kind) -> [(key: String, value: JSONValue)] {
        [("apiVersion", .string("launchq/v1")), ("kind", .string(kind.rawValue))]
    }

    private func document(_ fields: [(key: String, value: JSONValue)], what: String, notes: [String] = []) -> String {
        let when = configuration.importedAt.formatted(Date.ISO8601FormatStyle())
        var comment = ["Imported from W&B\(configuration.source.map { " (\($0))" } ?? "") by `launchq import` at \(when): \(what)."]
        comment += notes
        comment.append("Review before committing: once applied, launchq keeps W&B as this file says.")
        return YAMLWriter.document(fields, header: comment)
    }

    /// A queue's fields from its canonical observed state (``ObservedState/Queue/state``).
    func queueFields(_ state: JSONValue) -> [(key: String, value: JSONValue)] {
        var fields = header(kind: .runQueue)
        for key in ["entity", "name", "resource_type", "prioritization_mode"] {
            fields.append((key, state[key] ?? .null))
        }
        fields.append(("resource_config", state["resource_config"] ?? .object([:])))
        for key in ["template_variables", "external_links"] {
            if let value = state[key], value != .object([:]) { fields.append((key, value)) }
        }
        return fields
    }

    private func teamFile(_ entity: ObservedState.Entity) -> ImportedFile {
        var members: [(user: String, admin: Bool)] = []
        var notes: [String] = []
        for member in entity.members {
            guard let user = member.email ?? member.username else {
                notes.append("Member \"\(member.name)\" has no email or username W&B shows; not imported.")
                continue
            }
            members.append((user, member.isAdmin))
            if member.pending { notes.append("\(user) has not accepted the invite yet.") }
        }
        members.sort { $0.user.lowercased() < $1.user.lowercased() }
        var fields = header(kind: .team) + [("name", .string(entity.name))]
        fields.append((
            "members",
            .array(members.map { .object(["user": .string($0.user), "role": .string($0.admin ? Team.Member.Role.admin.rawValue : Team.Member.Role.member.rawValue)]) })
        ))
        return ImportedFile(path: "team.yaml", text: document(fields, what: "team \(entity.name)", notes: notes.sorted()))
    }

    // MARK: - File names

    /// A safe, distinct file stem for each name: `[A-Za-z0-9_.-]` only, never hidden (a leading `.` is
    /// skipped by the loader), at most ``maxStemBytes``, and distinct even on case-insensitive file systems.
    static func fileStems(for names: [String]) -> [String: String] {
        var stems: [String: String] = [:]
        var taken = Set<String>()
        // Names that are already safe keep their own name; the others get theirs, or a numbered one, after.
        let sorted = names.sorted()
        let (exact, changed) = (sorted.filter { safeStem($0) == $0 }, sorted.filter { safeStem($0) != $0 })
        for name in exact + changed {
            let base = safeStem(name)
            var stem = base
            var counter = 2
            while taken.contains(stem.lowercased()) {
                stem = "\(base)-\(counter)"
                counter += 1
            }
            taken.insert(stem.lowercased())
            stems[name] = stem
        }
        return stems
    }

    /// `name` with every character outside `[A-Za-z0-9_.-]` replaced by `_`.
    static func safeStem(_ name: String) -> String {
        var stem = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            let value = scalar.value
            let safe = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
                || scalar == "_" || scalar == "-" || scalar == "."
            return safe ? scalar : "_"
        }))
        if stem.isEmpty || stem.hasPrefix(".") { stem = "_" + stem }
        if stem.utf8.count > maxStemBytes { stem = String(stem.prefix(maxStemBytes)) }
        return stem
    }
}
