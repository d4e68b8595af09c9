/// `.inf`, `-.inf` and `.nan` anywhere in a declaration: YAML can write them, JSON and W&B cannot hold them
/// (they would be sent as `null` and planned as an update forever).
enum NonFiniteNumbers {
    /// Reports every non-finite number under `node` with ``Diagnostic/Code/yamlNonFiniteNumber`` at its position.
    static func check(_ node: Node, path: JSONPointer, sink: inout DiagnosticSink) {
        switch node.value {
        case .number(let number) where !number.isFinite:
            sink.error(
                .yamlNonFiniteNumber, "\(spelling(number)) is not a number W&B can hold (JSON has no infinity or NaN)", at: node.location,
                path: path, hint: "write a finite number, or quote it if a string is meant")
        case .sequence(let items):
            for (index, item) in items.enumerated() { check(item, path: path.appending(index), sink: &sink) }
        case .mapping(let entries):
            for entry in entries { check(entry.value, path: path.appending(entry.key), sink: &sink) }
        default:
            break
        }
    }

    /// The YAML spelling of a non-finite number.
    static func spelling(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        return number < 0 ? "-.inf" : ".inf"
    }
}
