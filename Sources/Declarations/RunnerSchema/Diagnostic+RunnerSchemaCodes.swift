/// The codes of the runner API schema checks (`kubernetes`, `sagemaker`, `gcp-vertex` resource configs).
extension Diagnostic.Code {
    /// A member the runner's API does not have (with a "did you mean" hint when one is close).
    public static let runnerUnknownField = Self(rawValue: "runner.unknown-field")
    /// A value of the wrong JSON type for the runner's API, also as a template variable renders it.
    public static let runnerType = Self(rawValue: "runner.type")
    /// A value outside the API's enumeration, also as a template variable renders it.
    public static let runnerEnum = Self(rawValue: "runner.enum")
    /// A member the API requires and neither the declaration nor the Launch agent supplies.
    public static let runnerRequired = Self(rawValue: "runner.required")
    /// A number, length or count outside the API's range, also as a template variable renders it.
    public static let runnerRange = Self(rawValue: "runner.range")
}
