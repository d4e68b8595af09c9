import Foundation

extension Plan {
    /// How a plan is written for people and for `launchq apply --plan`: pretty, sorted keys, slashes unescaped.
    public static func savedEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Writes the plan's JSON document (``read(saved:)`` reads it back) a step at a time, so that a large plan's
    /// document is never held whole: `write` receives pieces of text whose concatenation is exactly what
    /// ``savedEncoder()`` gives for the whole plan. Pure: the caller decides where the pieces go.
    public func writeSaved(_ write: (String) throws -> Void) throws {
        let encoder = Self.savedEncoder()
        var head = self
        head.steps = []
        let headText = String(decoding: try encoder.encode(head), as: UTF8.self)
        // `steps` sorts last among the keys, so the head's text ends with its empty list: replace that with the steps.
        guard !steps.isEmpty, let list = headText.range(of: "\"steps\" : [", options: .backwards) else {
            return try write(String(decoding: try encoder.encode(self), as: UTF8.self))
        }
        try write(String(headText[..<list.upperBound]) + "\n")
        for (index, step) in steps.enumerated() {
            let stepText = String(decoding: try encoder.encode(step), as: UTF8.self)
            let indented = stepText.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            try write(indented + (index == steps.count - 1 ? "\n" : ",\n"))
        }
        try write("  ]\n}")
    }
}
