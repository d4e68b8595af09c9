/// Why a file could not be read into documents. Reported as a diagnostic with ``code``.
public struct LoadError: Error, Sendable, Equatable {
    /// The stable diagnostic code.
    public var code: Diagnostic.Code
    public var message: String
    public var location: SourceLocation

    public init(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation) {
        self.code = code
        self.message = message
        self.location = location
    }
}
