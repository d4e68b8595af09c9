/// Judges loaded documents against every rule of the declaration format, in one pass.
///
/// ```swift
/// let report = Validator().validate(DeclarationLoader().load(paths: ["queues/"]))
/// if !report.isValid(strict: false) { print(report.diagnostics) }
/// ```
public struct Validator: Sendable {
    /// The Kubernetes version whose Job schema checks `kubernetes` resource configs (`--kubernetes-version`).
    public var kubernetesVersion: KubernetesVersion
    /// Whether resource configs are checked against the runners' API schemas (off to read back stored revisions).
    public var checksRunnerSchemas: Bool

    public init(kubernetesVersion: KubernetesVersion = .newest, checksRunnerSchemas: Bool = true) {
        self.kubernetesVersion = kubernetesVersion
        self.checksRunnerSchemas = checksRunnerSchemas
    }

    /// Validates every document and the set as a whole. Load diagnostics are carried into the report.
    public func validate(_ load: LoadResult) -> ValidationReport {
        var bundle = BundleValidation(validator: self)
        bundle.readPolicies(from: load)
        bundle.add(load)
        return bundle.finish()
    }

    /// Loads and validates `paths` (files or folders), one file at a time (see ``BundleValidation``): the same
    /// report as `validate(loader.load(paths: paths))`.
    public func validate(paths: [String], loader: DeclarationLoader = DeclarationLoader()) -> ValidationReport {
        let listing = paths.map { path in
            var diagnostics: [Diagnostic] = []
            let files = loader.files(at: path, diagnostics: &diagnostics)
            return (diagnostics: diagnostics, files: files)
        }
        var bundle = BundleValidation(validator: self)
        for file in listing.lazy.flatMap(\.files) {
            guard case .success(let contents) = loader.contents(ofFile: file), BundleValidation.mayDeclarePolicy(contents) else { continue }
            bundle.readPolicies(from: loader.load(contents: contents, file: file))
        }
        for (diagnostics, files) in listing {
            var listed = LoadResult()
            listed.diagnostics = diagnostics
            bundle.add(listed)
            for file in files {
                var load = LoadResult()
                load.fileCount = 1
                loader.load(file: file, into: &load)
                bundle.add(load)
            }
        }
        return bundle.finish()
    }

    static let apiVersion = "launchq/v1"

    /// Reads one document into a declaration (nil when its kind cannot be told), reporting what is wrong with it.
    func read(_ root: Node, sink: inout DiagnosticSink) -> Declaration? {
        guard let entries = root.entries else {
            sink.error(.documentNotMapping, "a declaration must be a mapping with apiVersion and kind, not a \(root.typeName)", at: root.location, path: .root)
            return nil
        }
        let apiVersion = entries.first { $0.key == "apiVersion" }?.value
        if let apiVersion {
            if apiVersion.string != Self.apiVersion {
                sink.error(.documentAPIVersion, "apiVersion must be \"\(Self.apiVersion)\"", at: apiVersion.location, path: JSONPointer(["apiVersion"]))
            }
        } else {
            sink.error(.documentAPIVersion, "missing apiVersion: \(Self.apiVersion)", at: root.location, path: JSONPointer(["apiVersion"]))
        }
        guard let kindNode = entries.first(where: { $0.key == "kind" })?.value else {
            sink.error(.documentKind, "missing kind (RunQueue, Team, User, Project or Policy)", at: root.location, path: JSONPointer(["kind"]))
            return nil
        }
        let kinds = Declaration.Kind.allCases.map(\.rawValue)
        guard let kindName = kindNode.string, let kind = Declaration.Kind(rawValue: kindName) else {
            sink.error(
                .documentKind, "kind must be one of \(kinds.joined(separator: ", "))", at: kindNode.location, path: JSONPointer(["kind"]),
                hint: kindNode.string.flatMap { Suggestion.hint(for: $0, among: kinds) })
            return nil
        }
        let object: Declaration.Object?
        switch kind {
        case .runQueue: object = RunQueueRules.read(root, kubernetesVersion: checksRunnerSchemas ? kubernetesVersion : nil, sink: &sink).map(Declaration.Object.runQueue)
        case .team: object = Self.readTeam(root, sink: &sink).map(Declaration.Object.team)
        case .user: object = Self.readUser(root, sink: &sink).map(Declaration.Object.user)
        case .project: object = Self.readProject(root, sink: &sink).map(Declaration.Object.project)
        case .policy: object = PolicyRules.read(root, sink: &sink).map(Declaration.Object.policy)
        }
        return object.map { Declaration($0, at: root.location) }
    }
}
