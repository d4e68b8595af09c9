import JSON

/// Checks a `kubernetes`, `sagemaker` or `gcp-vertex` resource config against the runner's real API schema, offline:
/// unknown members (with "did you mean"), wrong types, enum values, ranges and required members, each at its position.
///
/// What the Launch agent fills in itself is never required; `${macro}` strings pass wherever a string does; a string
/// with `{{placeholders}}` is checked with every value a user may give its variables (``PlaceholderCandidates``).
struct RunnerSchemaRules {
    let schema: RunnerSchema
    /// The API's name in messages: `Kubernetes 1.37`, `SageMaker`, `Vertex AI`.
    let api: String
    /// `Type.member` pairs never required: the Launch agent fills them, or another rule already reports them.
    let notRequired: Set<String>
    /// Root keys the runner reads and removes before calling the API.
    let rootExtras: Set<String>
    /// Root keys whose value another rule already judges.
    let rootSkipped: Set<String>
    /// SageMaker: the runner turns root `snake_case` keys into `SnakeCase`.
    let camelCasesRootKeys: Bool
    let variables: [String: DeclaredVariable]

    /// Checks `config` (the `resource_config` mapping) when its runner has an API schema.
    static func check(
        _ config: Node, type: ResourceType, variables: [String: DeclaredVariable], kubernetesVersion: KubernetesVersion, path: JSONPointer,
        sink: inout DiagnosticSink
    ) {
        let rules: RunnerSchemaRules
        switch type {
        case .kubernetes:
            // Any other apiVersion is created as a custom object, which the Job schema does not describe.
            if let apiVersion = config["apiVersion"], apiVersion.string != "batch/v1" { return }
            rules = RunnerSchemaRules(
                schema: RunnerSchemaCatalogue.kubernetes(kubernetesVersion), api: "Kubernetes \(kubernetesVersion)",
                notRequired: Agent.kubernetesFills, rootExtras: Agent.kubernetesReads, rootSkipped: [], camelCasesRootKeys: false,
                variables: variables)
        case .sagemaker:
            rules = RunnerSchemaRules(
                schema: RunnerSchemaCatalogue.sagemaker, api: "SageMaker CreateTrainingJob", notRequired: Agent.sagemakerFills,
                rootExtras: Agent.sagemakerReads, rootSkipped: Agent.sagemakerJudgedElsewhere, camelCasesRootKeys: true, variables: variables)
        case .gcpVertex:
            rules = RunnerSchemaRules(
                schema: RunnerSchemaCatalogue.vertex, api: "Vertex AI", notRequired: Agent.vertexFills, rootExtras: [], rootSkipped: [],
                camelCasesRootKeys: false, variables: variables)
        case .localContainer, .localProcess:
            return
        }
        rules.checkMapping(config, shape: rules.schema.root, path: path, isRoot: true, sink: &sink)
    }

    /// What the Launch agent fills in or reads itself (`launch-semantics.md` §5), and what other rules already judge.
    enum Agent {
        /// The runner defaults the pod template and its containers, names containers `launch<i>` and sets the image.
        static let kubernetesFills: Set<String> = ["JobSpec.template", "PodSpec.containers", "Container.name"]
        static let kubernetesReads: Set<String> = ["namespace", "configFile", "builder"]
        /// The runner names the training job after the run; `RoleArn` and `OutputDataConfig` are `sagemaker.*`'s findings.
        static let sagemakerFills: Set<String> = [
            "CreateTrainingJobRequest.TrainingJobName", "CreateTrainingJobRequest.RoleArn", "CreateTrainingJobRequest.OutputDataConfig",
        ]
        static let sagemakerReads: Set<String> = ["EcrRepoName", "region", "profile", "builder"]
        static let sagemakerJudgedElsewhere: Set<String> = ["RoleArn"]
        /// The run's image is the agent's to give.
        static let vertexFills: Set<String> = ["ContainerSpec.image_uri"]
    }

    func check(_ node: Node, shape index: Int, path: JSONPointer, sink: inout DiagnosticSink) {
        let shape = schema[index]
        switch node.value {
        case .null:
            return  // every runner treats null as absent
        case .string(let text):
            if PlaceholderTemplate.mayContainPlaceholder(text) {
                let template = PlaceholderTemplate(text)
                if !template.variables.isEmpty {
                    checkPlaceholders(template, text: text, node: node, shape: shape, path: path, sink: &sink)
                    return
                }
            }
            report(problem(with: .string(text), shape: shape, path: path, hasMacro: Self.hasMacro(text)), node: node, path: path, sink: &sink)
        case .bool(let flag):
            report(problem(with: .bool(flag), shape: shape, path: path, hasMacro: false), node: node, path: path, sink: &sink)
        case .integer(let number):
            report(problem(with: .integer(number), shape: shape, path: path, hasMacro: false), node: node, path: path, sink: &sink)
        case .number(let number):
            report(problem(with: .number(number), shape: shape, path: path, hasMacro: false), node: node, path: path, sink: &sink)
        case .sequence(let items):
            if shape.types.isEmpty { return }
            guard shape.types.contains(.array) else { return reportType(of: node, shape: shape, path: path, sink: &sink) }
            if let minItems = shape.minItems, items.count < minItems {
                sink.error(.runnerRange, "\(field(path)) needs at least \(minItems) items, has \(items.count)", at: node.location, path: path)
            }
            if let maxItems = shape.maxItems, items.count > maxItems {
                sink.error(.runnerRange, "\(field(path)) takes at most \(maxItems) items, has \(items.count)", at: node.location, path: path)
            }
            guard let itemShape = shape.items else { return }
            for (position, item) in items.enumerated() { check(item, shape: itemShape, path: path.appending(position), sink: &sink) }
        case .mapping:
            if shape.types.isEmpty && shape.properties.isEmpty { return }
            guard shape.types.isEmpty || shape.types.contains(.object) else { return reportType(of: node, shape: shape, path: path, sink: &sink) }
            checkMapping(node, shape: index, path: path, isRoot: false, sink: &sink)
        }
    }

    func checkMapping(_ node: Node, shape index: Int, path: JSONPointer, isRoot: Bool, sink: inout DiagnosticSink) {
        let shape = schema[index]
        guard let entries = node.entries else { return reportType(of: node, shape: shape, path: path, sink: &sink) }
        var present: Set<String> = []
        for entry in entries {
            let member = isRoot && camelCasesRootKeys ? Self.camelCased(entry.key) : entry.key
            present.insert(member)
            let entryPath = path.appending(entry.key)
            if isRoot && (rootExtras.contains(entry.key) || rootSkipped.contains(member)) { continue }
            if let memberShape = shape.properties[member] {
                check(entry.value, shape: memberShape, path: entryPath, sink: &sink)
            } else if let valueShape = shape.values {
                check(entry.value, shape: valueShape, path: entryPath, sink: &sink)
            } else if shape.closed {
                sink.error(
                    .runnerUnknownField, "unknown field \"\(entry.key)\" in \(what(shape)) of the \(api) API", at: entry.keyLocation, path: entryPath,
                    hint: Suggestion.hint(for: entry.key, among: shape.properties.keys))
            }
        }
        if let maxProperties = shape.maxProperties, entries.count > maxProperties {
            sink.error(.runnerRange, "\(field(path)) takes at most \(maxProperties) entries, has \(entries.count)", at: node.location, path: path)
        }
        for member in shape.required where !present.contains(member) && !notRequired.contains("\(shape.name ?? "").\(member)") {
            sink.error(
                .runnerRequired, "missing \(member): the \(api) API requires it in \(what(shape))", at: node.location, path: path.appending(member))
        }
    }

    /// A finding about one value, before it is placed.
    struct Problem: Equatable {
        var code: Diagnostic.Code
        var message: String
        var hint: String?
    }

    /// What is wrong with a scalar `value` where `shape` is expected; a string holding a `${macro}` skips the enum and length checks.
    func problem(with value: JSONValue, shape: RunnerSchema.Shape, path: JSONPointer, hasMacro: Bool) -> Problem? {
        let types = shape.types
        if !types.isEmpty {
            let fits: Bool
            switch value {
            case .null: fits = true
            case .bool: fits = types.contains(.boolean)
            case .integer: fits = types.contains(.integer) || types.contains(.number)
            case .number(let number): fits = types.contains(.number) || (types.contains(.integer) && Int(exactly: number) != nil)
            case .string: fits = types.contains(.string)
            case .array: fits = types.contains(.array)
            case .object: fits = types.contains(.object)
            }
            if !fits {
                return Problem(code: .runnerType, message: "\(field(path)) must be \(types.phrase), not \(Self.article(value))")
            }
        }
        if let allowed = shape.allowed, !hasMacro, !allowed.contains(value) {
            let names = allowed.compactMap(\.string)
            let listed = names.count <= 8 ? " (one of \(names.joined(separator: ", ")))" : " (one of \(names.count) values)"
            return Problem(
                code: .runnerEnum, message: "\(CanonicalJSON.string(value)) is not a value the \(api) API accepts for \(field(path))\(listed)",
                hint: value.string.flatMap { Suggestion.hint(for: $0, among: names) })
        }
        if let number = value.double {
            if let minimum = shape.minimum, number < minimum {
                return Problem(code: .runnerRange, message: "\(field(path)) must be at least \(Self.format(minimum)), not \(CanonicalJSON.string(value))")
            }
            if let maximum = shape.maximum, number > maximum {
                return Problem(code: .runnerRange, message: "\(field(path)) must be at most \(Self.format(maximum)), not \(CanonicalJSON.string(value))")
            }
        }
        if case .string(let text) = value, !hasMacro {
            let length = text.count
            if let minLength = shape.minLength, length < minLength {
                return Problem(code: .runnerRange, message: "\(field(path)) must be at least \(minLength) characters long, is \(length)")
            }
            if let maxLength = shape.maxLength, length > maxLength {
                return Problem(code: .runnerRange, message: "\(field(path)) must be at most \(maxLength) characters long, is \(length)")
            }
        }
        return nil
    }

    private func report(_ problem: Problem?, node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        guard let problem else { return }
        sink.error(problem.code, problem.message, at: node.location, path: path, hint: problem.hint)
    }

    private func reportType(of node: Node, shape: RunnerSchema.Shape, path: JSONPointer, sink: inout DiagnosticSink) {
        sink.error(.runnerType, "\(field(path)) must be \(shape.types.phrase), not a \(node.typeName)", at: node.location, path: path)
    }

    /// The member's name for messages: the last path token, or the index's parent for list items.
    func field(_ path: JSONPointer) -> String {
        guard let last = path.tokens.last else { return "the config" }
        if last.allSatisfy(\.isNumber), path.tokens.count > 1 { return "\(path.tokens[path.tokens.count - 2])[\(last)]" }
        return last
    }

    private func what(_ shape: RunnerSchema.Shape) -> String {
        guard let name = shape.name else { return "this object" }
        return "a \(name)"
    }

    static func hasMacro(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "$")) && text.contains("${")
    }

    /// The SageMaker runner's `to_camel_case`: `role_arn` → `RoleArn`; keys without `_` stay as they are.
    static func camelCased(_ key: String) -> String {
        guard key.utf8.contains(UInt8(ascii: "_")) else { return key }
        return key.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func article(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    static func format(_ number: Double) -> String {
        Int(exactly: number).map(String.init) ?? String(number)
    }
}
