import CYaml

/// Builds ``Node`` trees from libyaml's event stream, enforcing ``ParseLimits`` as it goes.
///
/// Composing events directly (instead of a general-purpose YAML library's tree) lets launchq stop at
/// the first node past a limit, report every duplicate key with both places, and keep exact positions.
struct YAMLComposer {
    var file: String
    var limits: ParseLimits
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, limits: ParseLimits) {
        self.file = file
        self.limits = limits
    }

    /// A mapping or list still open. A struct with in-place mutation keeps appends O(1).
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var size = 1
        var items: [Node] = []
        var entries: [Node.Entry] = []
        var pendingKey: (String, SourceLocation)?
        var seen: [String: SourceLocation] = [:]
    }

    /// Parses every document of a UTF-8 buffer. Empty documents are skipped.
    mutating func compose(_ buffer: UnsafeBufferPointer<UInt8>) throws(LoadError) -> [Node] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw LoadError(.yamlSyntax, "the YAML parser could not start (out of memory)", at: location(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        // libyaml's scanner reads ahead through flow collections, so its own nesting guard must be ours too.
        yaml_set_max_nest_level(Int32(limits.maxDepth))
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var documents: [Node] = []
        var stack: [Frame] = []
        var anchors: [String: (node: Node, size: Int)] = [:]
        var expanded = 0
        var root: (node: Node, size: Int)?
        var event = yaml_event_t()

        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError(parser) }
            defer { yaml_event_delete(&event) }
            let start = location(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            var finished: (node: Node, size: Int)?

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors.removeAll(keepingCapacity: true)
                expanded = 0
                root = nil
            case YAML_DOCUMENT_END_EVENT:
                if let root, !isNull(root.node) { documents.append(root.node) }
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw LoadError(.yamlSyntax, "alias *\(name) names no anchor defined before it", at: start)
                }
                expanded += target.size
                if expanded > limits.maxAliasExpansion {
                    throw LoadError(
                        .limitAliasExpansion,
                        "aliases expand to more than \(limits.maxAliasExpansion) nodes in one document; refused (\"billion laughs\")",
                        at: start)
                }
                finished = target
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let value = resolveScalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: Self.string(scalar.tag), at: start)
                let node = Node(value, at: start)
                if let anchor = Self.string(scalar.anchor) { anchors[anchor] = (node, 1) }
                finished = (node, 1)
            case YAML_SEQUENCE_START_EVENT:
                try checkDepth(stack.count, at: start)
                stack.append(Frame(isMapping: false, location: start, anchor: Self.string(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                try checkDepth(stack.count, at: start)
                stack.append(Frame(isMapping: true, location: start, anchor: Self.string(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                let node = Node(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), at: frame.location)
                if let anchor = frame.anchor { anchors[anchor] = (node, frame.size) }
                finished = (node, frame.size)
            default:
                break
            }

            guard let finished else { continue }
            if stack.isEmpty {
                root = finished
            } else {
                attach(finished, to: &stack[stack.count - 1], at: start)
            }
        }
    }

    private mutating func attach(_ child: (node: Node, size: Int), to frame: inout Frame, at start: SourceLocation) {
        frame.size += child.size
        guard frame.isMapping else {
            frame.items.append(child.node)
            return
        }
        if let (key, keyLocation) = frame.pendingKey {
            frame.entries.append(Node.Entry(key: key, keyLocation: keyLocation, value: child.node))
            frame.pendingKey = nil
            return
        }
        let key = keyText(child.node)
        if let first = frame.seen[key] {
            diagnostics.append(Diagnostic(
                .error, .yamlDuplicateKey, "duplicate key \"\(key)\" in one mapping (first at line \(first.line), column \(first.column))",
                at: child.node.location))
        } else {
            frame.seen[key] = child.node.location
        }
        if key == "<<" {
            diagnostics.append(Diagnostic(.error, .yamlMergeKey, "merge keys (<<) are not supported: write the fields out", at: child.node.location))
        }
        frame.pendingKey = (key, child.node.location)
    }

    private mutating func keyText(_ node: Node) -> String {
        switch node.value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .sequence, .mapping:
            diagnostics.append(Diagnostic(.error, .yamlComplexKey, "a mapping key must be a plain value, not a \(node.typeName)", at: node.location))
            return "<\(node.typeName) key at \(node.location.line):\(node.location.column)>"
        }
    }

    private mutating func resolveScalar(_ text: String, plain: Bool, tag: String?, at start: SourceLocation) -> Node.Value {
        switch tag {
        case nil, "!":
            return plain ? ScalarResolver.resolve(text) : .string(text)
        case "tag:yaml.org,2002:str":
            return .string(text)
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null":
            return ScalarResolver.resolve(text)
        case let other?:
            diagnostics.append(Diagnostic(.error, .yamlUnsupportedTag, "tag \(other) is not supported: launchq reads plain YAML values", at: start))
            return .string(text)
        }
    }

    private func checkDepth(_ depth: Int, at start: SourceLocation) throws(LoadError) {
        if depth >= limits.maxDepth {
            throw LoadError(.limitDepth, "nesting deeper than \(limits.maxDepth) levels; refused", at: start)
        }
    }

    private func isNull(_ node: Node) -> Bool {
        if case .null = node.value { return true }
        return false
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private func syntaxError(_ parser: yaml_parser_t) -> LoadError {
        let problem = Self.cString(parser.problem) ?? "malformed YAML"
        if problem.hasPrefix("Maximum nesting level") {
            let mark = parser.problem_mark
            return LoadError(.limitDepth, "nesting deeper than \(limits.maxDepth) levels; refused",
                at: location(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
        }
        let context = Self.cString(parser.context).map { " \($0)" } ?? ""
        let mark = parser.problem_mark
        return LoadError(.yamlSyntax, "\(problem)\(context)", at: location(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
    }

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
