/// Collects diagnostics while a document is read; every rule reports through it.
struct DiagnosticSink {
    var diagnostics: [Diagnostic] = []

    mutating func error(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation, path: JSONPointer, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, message, at: location, path: path, hint: hint))
    }

    mutating func warning(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation, path: JSONPointer, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code, message, at: location, path: path, hint: hint))
    }

    mutating func note(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation, path: JSONPointer, hint: String? = nil) {
        diagnostics.append(Diagnostic(.note, code, message, at: location, path: path, hint: hint))
    }
}
