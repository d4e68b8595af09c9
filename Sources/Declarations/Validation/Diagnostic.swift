/// One finding about a declaration: what is wrong, how bad, and exactly where.
public struct Diagnostic: Sendable, Equatable, Encodable {
    /// How much a finding matters. Errors make a bundle invalid; warnings do under `--strict`.
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, note

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    /// A stable, dotted diagnostic code such as `template.undeclared`. See `Diagnostic+Codes.swift`.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    /// Where the problem is; `nil` only for problems with no file (an unreadable path).
    public var location: SourceLocation?
    /// JSON pointer into the document.
    public var path: JSONPointer
    /// A suggestion, such as `did you mean "gpus"?`.
    public var hint: String?

    public init(
        _ severity: Severity, _ code: Code, _ message: String, at location: SourceLocation?,
        path: JSONPointer = .root, hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.hint = hint
    }

    enum CodingKeys: String, CodingKey { case severity, code, message, file, line, column, path, hint }

    /// The documented JSON form: `{"severity","code","message","file","line","column","path","hint"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(location?.file, forKey: .file)
        try container.encode(location?.line, forKey: .line)
        try container.encode(location?.column, forKey: .column)
        try container.encode(path, forKey: .path)
        try container.encode(hint, forKey: .hint)
    }
}

extension Diagnostic: CustomStringConvertible {
    /// The human form: `file:line:col: error[code]: message (hint)` and the path on a second line.
    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue)[\(code)]: \(message)"
        if let hint { text += " (\(hint))" }
        if !path.tokens.isEmpty { text += "\n  at \(path)" }
        return text
    }
}
