import Declarations
import JSON
import Store

/// Between validated declarations and what a revision stores. Pure.
public enum DesiredStateCodec {
    /// The revision draft for a valid report.
    ///
    /// Each declaration is let go once its record is made (when the caller gave the report up, as with
    /// `consume`), so the declarations and the records they become are not all alive at once.
    public static func draft(from report: consuming ValidationReport, source: RevisionSource) -> RevisionDraft {
        var declarations = report.declarations
        report.declarations = []
        var records: [DeclarationRecord] = []
        records.reserveCapacity(declarations.count)
        while let declaration = declarations.popLast() {
            records.append(record(declaration))
        }
        records.reverse()
        return RevisionDraft(source: source, contentHash: contentHash(of: records), declarations: records)
    }

    /// Validates in-memory files (path, bytes) as one bundle, `kubernetes` configs against `kubernetesVersion`'s
    /// Job schema, and makes the revision draft as it reads them: the same report as ``validate(files:kubernetesVersion:)``
    /// (but without its declarations) and, when it is valid, the same draft as ``draft(from:source:)`` of it.
    ///
    /// The policies are read first (``BundleValidation``); then each file's bytes are let go once loaded, and its
    /// declarations once their records are made, so the bundle's declarations are never all alive at once.
    /// The draft holds a record for every declaration read, also when the report is invalid: its `contentHash` is
    /// then what the report's ``ValidationReport/contentHash`` would have been with its declarations.
    public static func draft(
        validating files: consuming [(path: String, contents: [UInt8])], source: RevisionSource, kubernetesVersion: KubernetesVersion = .newest
    ) -> (report: ValidationReport, draft: RevisionDraft) {
        // `files` is this function's own (consuming): emptying an entry once added frees that file's bytes.
        var records: [DeclarationRecord] = []
        let report = Validator(kubernetesVersion: kubernetesVersion).validate(fileCount: files.count, file: { files[$0] }) { index, bundle in
            files[index].contents = []
            records += bundle.takeDeclarations().map(record)
        }
        return (report, RevisionDraft(source: source, contentHash: contentHash(of: records), declarations: records))
    }

    /// The revision's hash from its records: ``ValidationReport/contentHash`` of the declarations they were made from.
    static func contentHash(of records: [DeclarationRecord]) -> String {
        ValidationReport.contentHash(of: records.map { ($0.kind, $0.identity, $0.contentHash) })
    }

    /// A declaration's record: its canonical text (made once, and kept without spare capacity) and that text's hash.
    static func record(_ declaration: Declaration) -> DeclarationRecord {
        let text = CanonicalJSON.string(declaration.canonical)
        var document = ""
        document.reserveCapacity(text.utf8.count)
        document += text
        return DeclarationRecord(
            kind: declaration.kind.rawValue, identity: declaration.identity, contentHash: ContentHash.sha256(document),
            document: document, file: declaration.location.file, line: declaration.location.line, column: declaration.location.column)
    }

    /// Validates in-memory files (path, bytes) as one bundle, `kubernetes` configs against `kubernetesVersion`'s Job schema.
    /// One file's documents are alive at a time (``BundleValidation``); the report is the same as loading them all at once.
    public static func validate(files: [(path: String, contents: [UInt8])], kubernetesVersion: KubernetesVersion = .newest) -> ValidationReport {
        Validator(kubernetesVersion: kubernetesVersion).validate(fileCount: files.count) { files[$0] }
    }

    /// Rebuilds declarations from stored records: each canonical document is a valid declaration once it
    /// carries `apiVersion`, and must hash to the stored content hash.
    public static func declarations(from records: [DeclarationRecord]) throws -> [Declaration] {
        for record in records {
            // The canonical text is an object with at least `kind`: put `apiVersion` first, byte for byte otherwise.
            guard record.document.hasPrefix("{"), record.document.count > 2 else {
                throw DesiredStateError("\(record.kind) \(record.identity): stored document is not a JSON object")
            }
        }
        // A stored revision passed the runner schemas when it was pushed; another version or newer schema data
        // must not make it unreadable. One record's document tree is alive at a time (``BundleValidation``).
        let report = Validator(checksRunnerSchemas: false).validate(fileCount: records.count) { index in
            let record = records[index]
            return (record.file + ".json", Array(("{\"apiVersion\":\"launchq/v1\"," + record.document.dropFirst()).utf8))
        }
        guard report.isValid(strict: false) else {
            throw DesiredStateError("stored revision does not validate: \(report.diagnostics.prefix(3).map(\.description).joined(separator: "; "))")
        }
        for (record, declaration) in zip(records, report.declarations) where record.contentHash != declaration.contentHash {
            throw DesiredStateError("\(record.kind) \(record.identity): stored document does not match its content hash")
        }
        guard report.declarations.count == records.count else {
            throw DesiredStateError("stored revision has \(records.count) declarations; \(report.declarations.count) could be read back")
        }
        return report.declarations.enumerated().map { index, declaration in
            var declaration = declaration
            declaration.location = SourceLocation(file: records[index].file, line: records[index].line, column: records[index].column)
            return declaration
        }
    }
}

/// A stored revision that cannot be turned back into declarations.
public struct DesiredStateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
