import Declarations

/// Prints a validation report as text lines plus a summary, or as the documented JSON document.
enum DiagnosticPrinter {
    /// The `--format json` document of `validate`.
    struct Document: Encodable {
        struct Summary: Encodable {
            var errors: Int
            var warnings: Int
            var notes: Int
            var files: Int
            var declarations: Int
            var valid: Bool
        }
        var diagnostics: [Diagnostic]
        var summary: Summary
    }

    static func print(_ report: ValidationReport, format: OutputFormat, strict: Bool) throws {
        switch format {
        case .text:
            for diagnostic in report.diagnostics { Swift.print(diagnostic.description) }
            Swift.print(report.summary)
        case .json:
            let document = Document(
                diagnostics: report.diagnostics,
                summary: .init(
                    errors: report.errorCount, warnings: report.warningCount, notes: report.diagnostics.count { $0.severity == .note },
                    files: report.fileCount, declarations: report.declarations.count, valid: report.isValid(strict: strict)))
            Swift.print(try JSONOutput.string(document))
        }
    }
}
