import JSON

/// The worst a queue's value can be once W&B fills its `{{variables}}` and the agent its `${macros}`.
///
/// A placeholder takes every value its template variable allows: a number up to its `maximum` (or the
/// largest `enum` member), a string any `enum` member; a variable without those bounds is unbounded.
struct WorstCase {
    /// The largest a number can be, or why it has no bound.
    enum Number: Equatable {
        /// The worst value, and how it was found (`"{{gpus}}" up to 16`).
        case at(Double, String)
        case unbounded(String)

        var value: Double? {
            if case .at(let value, _) = self { return value }
            return nil
        }

        var explanation: String {
            switch self {
            case .at(_, let text), .unbounded(let text): text
            }
        }

        static func * (lhs: Number, rhs: Number) -> Number {
            switch (lhs, rhs) {
            case (.at(let a, let x), .at(let b, let y)): .at(a * b, "\(x) × \(y)")
            case (.unbounded(let why), _), (_, .unbounded(let why)): .unbounded(why)
            }
        }

        static func + (lhs: Number, rhs: Number) -> Number {
            switch (lhs, rhs) {
            case (.at(let a, let x), .at(let b, let y)): .at(a + b, "\(x) + \(y)")
            case (.unbounded(let why), _), (_, .unbounded(let why)): .unbounded(why)
            }
        }
    }

    /// Every value a string can take, or the fixed text it starts with when it can take any.
    enum Text: Equatable {
        case values([String])
        case open(prefix: String, why: String)
    }

    let variables: [String: TemplateVariable]

    init(_ queue: RunQueue) { variables = queue.templateVariables }

    /// The largest `value` can be; `nil` values and non-numbers are unbounded with a reason.
    func number(_ value: JSONValue) -> Number {
        switch value {
        case .integer(let number): return .at(Double(number), String(number))
        case .number(let number): return .at(number, Self.format(number))
        case .string(let text):
            if PlaceholderTemplate.mayContainPlaceholder(text), let name = PlaceholderTemplate(text).wholeVariable,
                let variable = variables[name], variable.schema.type != .string
            {
                let schema = variable.schema
                if let members = schema.allowedValues?.compactMap(\.double), let largest = members.max() {
                    return .at(largest, "\"\(text)\" up to \(Self.format(largest)) (largest enum value of \(name))")
                }
                if let maximum = schema.maximum {
                    return .at(maximum, "\"\(text)\" up to \(Self.format(maximum)) (maximum of \(name))")
                }
                return .unbounded("\"\(text)\" is unbounded: template variable \(name) has no maximum")
            }
            switch self.text(.string(text)) {
            case .open(_, let why): return .unbounded(why)
            case .values(let values):
                var largest: Double?
                for candidate in values {
                    guard let number = Double(candidate.trimmingWhitespace()), number.isFinite else {
                        return .unbounded("\"\(text)\" may be \"\(candidate)\", which is not a number")
                    }
                    largest = max(largest ?? number, number)
                }
                guard let largest else { return .unbounded("\"\(text)\" has no value") }
                return .at(largest, values.count == 1 && values[0] == text ? "\"\(text)\"" : "\"\(text)\" up to \(Self.format(largest))")
            }
        default:
            return .unbounded("\(CanonicalJSON.string(value)) is not a number")
        }
    }

    /// At most 256 values are spelled out; a string with more is open.
    static let valueLimit = 256

    /// Every value a string can take after placeholders and macros are filled.
    func text(_ value: JSONValue) -> Text {
        switch value {
        case .string(let text):
            var results = [""]
            if PlaceholderTemplate.mayContainPlaceholder(text) {
                for segment in PlaceholderTemplate(text).segments {
                    switch segment {
                    case .text(let literal): results = results.map { $0 + literal }
                    case .variable(let name):
                        guard let choices = choices(name) else {
                            return .open(
                                prefix: Self.commonPrefix(results),
                                why: "\"\(text)\" may be anything: template variable \(name) has no enum")
                        }
                        let next = results.flatMap { result in choices.map { result + $0 } }
                        guard next.count <= Self.valueLimit else {
                            return .open(prefix: Self.commonPrefix(results), why: "\"\(text)\" may take more than \(Self.valueLimit) values")
                        }
                        results = next
                    }
                }
            } else {
                results = [text]
            }
            // `${NAME}` is filled by the agent: the text before it is all that is known.
            if results.contains(where: { $0.contains("${") }) {
                let prefixes = results.map(Self.textBeforeMacro)
                return .open(prefix: Self.commonPrefix(prefixes), why: "\"\(text)\" holds a ${macro} the Launch agent fills")
            }
            return .values(results)
        case .integer(let number): return .values([String(number)])
        case .number(let number): return .values([Self.format(number)])
        default: return .values([])
        }
    }

    /// The values of a variable with an enum (as text); `nil` for any other.
    private func choices(_ name: String) -> [String]? {
        variables[name]?.schema.allowedValues?.map { member in
            switch member {
            case .string(let text): text
            case .integer(let number): String(number)
            case .number(let number): Self.format(number)
            default: CanonicalJSON.string(member)
            }
        }
    }

    /// The text before the first `${`.
    static func textBeforeMacro(_ text: String) -> String {
        var before = ""
        var rest = Substring(text)
        while let first = rest.first {
            if first == "$", rest.dropFirst().first == "{" { break }
            before.append(first)
            rest = rest.dropFirst()
        }
        return before
    }

    static func commonPrefix(_ texts: [String]) -> String {
        guard var prefix = texts.first else { return "" }
        for text in texts.dropFirst() {
            while !text.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// `8` for whole numbers, `0.5` otherwise.
    static func format(_ number: Double) -> String {
        if let whole = Int(exactly: number) { return String(whole) }
        return String(number)
    }
}
