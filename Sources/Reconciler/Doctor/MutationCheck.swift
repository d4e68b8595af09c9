import Foundation
import JSON
import WandbAPI

/// How `launchq doctor` checks a mutation document without executing it: pure, no I/O.
///
/// The document is sent exactly as launchq sends it, with every variable deliberately ill-typed: `null` for a
/// non-null variable, a value of the wrong kind for a nullable one. A GraphQL server validates the document first
/// (an unknown field or argument is `Cannot query field ...`, `Unknown argument ...`), then coerces the variables
/// (`Variable "x" has invalid value null.`) and only then runs resolvers. So a validation error means the server
/// cannot run this document (incompatible); a variable error alone means the document is valid there and nothing
/// ran (accepted). W&B's server answers with graph-gophers/graphql-go's texts: `Cannot query field` (matched by the
/// 0.31.0 SDK), `Variable "templateVariables" has invalid value null. Expected type "JSONString!", found null.`
/// (wandb/wandb#6719, #1344).
public enum MutationCheck {
    /// One variable of an operation's header: `$name: Type`.
    public struct Variable: Sendable, Equatable {
        public var name: String
        /// The type as written (`String!`, `[ID!]!`, `JSONString`).
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }

        /// Whether the variable is non-null (its type ends in `!`).
        public var isNonNull: Bool { type.hasSuffix("!") }
        /// The named type inside lists and `!` (`ID` for `[ID!]!`).
        public var baseType: String { String(type.filter { $0 != "[" && $0 != "]" && $0 != "!" }) }

        /// A value the server must refuse before running anything: `null` where null is not allowed, otherwise a
        /// value of the wrong kind (text for numbers, booleans and input objects; an object for the rest).
        public var illTypedValue: JSONValue {
            if isNonNull { return .null }
            switch baseType {
            case "Boolean", "Int", "Float": return .string("launchq doctor: not a \(baseType)")
            case let name where name.hasSuffix("Input"): return .string("launchq doctor: not an input object")
            default: return .object(["launchqDoctor": .string("not a \(baseType)")])
            }
        }
    }

    /// What the server's answer says about a document.
    public enum Verdict: Sendable, Equatable {
        /// The document validated and the ill-typed variables were refused before anything ran.
        case accepted
        /// The server does not know a field, argument or type the document uses.
        case incompatible(String)
        /// The server ran the mutation (it answered data without a variable error): the check is not read-only here.
        case executed
        /// An answer that proves neither (a permission refusal, a server error): quoted as it came.
        case unclear(String)
    }

    /// The variables declared in the first operation header of `document`.
    public static func variables(of document: String) -> [Variable] {
        guard let open = document.firstIndex(of: "("), let brace = document.firstIndex(of: "{"), open < brace,
            let close = document[open...].firstIndex(of: ")")
        else { return [] }
        let header = document[document.index(after: open)..<close]
        return header.split(separator: "$").compactMap { part in
            let pieces = part.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2 else { return nil }
            let type = pieces[1].split(separator: "=", maxSplits: 1)[0]
                .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ",")))
            return Variable(name: pieces[0].trimmingCharacters(in: .whitespacesAndNewlines), type: type)
        }
    }

    /// The variables to send with `operation`: every declared variable ill-typed.
    public static func illTypedVariables(for operation: GraphQLOperation) -> [String: JSONValue] {
        Dictionary(variables(of: operation.document).map { ($0.name, $0.illTypedValue) }, uniquingKeysWith: { first, _ in first })
    }

    /// Message parts that mean the document itself does not fit the server's schema.
    static let incompatibilityMarks = [
        "Cannot query field", "Unknown argument", "Unknown type", "Unknown field", "is not defined by type",
        "used in position expecting", "is never used", "is not defined", "Syntax Error", "Unknown operation",
        "must have a selection", "must not have a selection", "is required, but it was not provided",
    ]

    /// Message parts of a variable-coercion refusal (graph-gophers/graphql-go, GraphQLSwift, graphql-js wordings).
    static let coercionMarks = ["Variable \"", "could not unmarshal"]

    /// Judges the server's error messages for one ill-typed request. `ranWithoutErrors` is an answer with data
    /// and no errors at all.
    public static func verdict(messages: [String], ranWithoutErrors: Bool = false) -> Verdict {
        if ranWithoutErrors { return .executed }
        if let incompatible = messages.first(where: { message in incompatibilityMarks.contains { message.contains($0) } }) {
            return .incompatible(incompatible)
        }
        if !messages.isEmpty, messages.allSatisfy({ message in coercionMarks.contains { message.contains($0) } }) {
            return .accepted
        }
        return .unclear(messages.isEmpty ? "an answer without errors or data" : messages.joined(separator: "; "))
    }
}
