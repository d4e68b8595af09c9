/// The outcome of validating a set of declarations.
public struct ValidationReport: Sendable {
    /// Every declaration that could be read, in file order (also those with errors, for cross-document checks).
    ///
    /// Empty when the declarations were taken as the bundle was read (``BundleValidation/takeDeclarations()``):
    /// the diagnostics and file count are the same, but ``contentHash`` is then not the bundle's.
    public var declarations: [Declaration]
    /// Every finding, in the order found.
    public var diagnostics: [Diagnostic]
    /// Files read.
    public var fileCount: Int

    public init(declarations: [Declaration], diagnostics: [Diagnostic], fileCount: Int) {
        self.declarations = declarations
        self.diagnostics = diagnostics
        self.fileCount = fileCount
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Valid when there are no errors (and, under `strict`, no warnings).
    public func isValid(strict: Bool) -> Bool {
        errorCount == 0 && (!strict || warningCount == 0)
    }

    /// `1 error, 0 warnings in 3 files`.
    public var summary: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(errorCount, "error")), \(plural(warningCount, "warning")) in \(plural(fileCount, "file"))"
    }
}
