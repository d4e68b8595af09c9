import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses JSON text (a whole document, any top-level value).
    /// - Throws: an error naming the byte offset when the text is not JSON.
    public init(parsing text: String) throws {
        self = try JSONParser.parse(Array(text.utf8))
    }

    /// Parses JSON bytes (a whole document, any top-level value).
    public init(parsing bytes: [UInt8]) throws {
        self = try JSONParser.parse(bytes)
    }

    /// Parses JSON bytes (a whole document, any top-level value).
    public init(parsing data: Data) throws {
        self = try JSONParser.parse(Array(data))
    }

    /// Compact JSON text with object keys sorted, so equal values give equal text.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to a JSON value
        // (non-finite doubles are the exception and are written as null).
        guard let data = try? encoder.encode(self.replacingNonFiniteNumbers()) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    private func replacingNonFiniteNumbers() -> JSONValue {
        switch self {
        case .number(let value) where !value.isFinite: return .null
        case .array(let values): return .array(values.map { $0.replacingNonFiniteNumbers() })
        case .object(let members): return .object(members.mapValues { $0.replacingNonFiniteNumbers() })
        default: return self
        }
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonText }
}
