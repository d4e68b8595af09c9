import Declarations
import Testing

/// Loads and validates YAML (or JSON, by the file name) text as one file.
func validate(_ text: String, file: String = "test.yaml", limits: ParseLimits = ParseLimits()) -> ValidationReport {
    var configuration = DeclarationLoader.Configuration()
    configuration.limits = limits
    var load = LoadResult()
    load.fileCount = 1
    DeclarationLoader(configuration: configuration).load(contents: Array(text.utf8), file: file, into: &load)
    return Validator().validate(load)
}

/// A queue document with the given extra YAML lines (indented by the caller).
func queueYAML(type: String = "kubernetes", _ body: String = "") -> String {
    """
    apiVersion: launchq/v1
    kind: RunQueue
    entity: ml-platform
    name: q1
    resource_type: \(type)

    """ + body
}

/// The diagnostics with `code`.
func diagnostics(_ report: ValidationReport, _ code: Diagnostic.Code) -> [Diagnostic] {
    report.diagnostics.filter { $0.code == code }
}

/// Expects exactly one diagnostic with `code`, at `line:column` and `path`, and returns it.
@discardableResult
func expectOne(
    _ report: ValidationReport, _ code: Diagnostic.Code, line: Int? = nil, column: Int? = nil, path: String? = nil,
    severity: Diagnostic.Severity = .error, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let found = diagnostics(report, code)
    #expect(found.count == 1, "expected one \(code), got: \(report.diagnostics.map(\.description))", sourceLocation: sourceLocation)
    guard let diagnostic = found.first else { return nil }
    #expect(diagnostic.severity == severity, sourceLocation: sourceLocation)
    if let line { #expect(diagnostic.location?.line == line, "line of \(diagnostic)", sourceLocation: sourceLocation) }
    if let column { #expect(diagnostic.location?.column == column, "column of \(diagnostic)", sourceLocation: sourceLocation) }
    if let path { #expect(diagnostic.path.description == path, sourceLocation: sourceLocation) }
    return diagnostic
}

/// Expects no diagnostic (error, warning or note) other than the reference warnings that a single
/// document cannot avoid (its entity is declared in no Team of the same test).
func expectClean(_ report: ValidationReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let found = report.diagnostics.filter { $0.code != .referenceEntity && $0.code != .referenceUser }
    #expect(found.isEmpty, "unexpected: \(found.map(\.description))", sourceLocation: sourceLocation)
}

