import Declarations
import Foundation
import Hummingbird
import JSON
import NIOCore

/// Reading JSON request bodies: 413 over the limit, 400 with where it broke for bad JSON.
enum JSONBody {
    /// Collects the body (at most 4 MiB) and decodes `T`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try checkContentType(request)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: AdminServer.Configuration.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge
        }
        return try decode(type, from: Array(buffer.readableBytesView))
    }

    /// A body labelled as something other than JSON (`text/plain`, a form, multipart) is refused with 415 rather
    /// than parsed: what a client says it sends is checked, not guessed. No `Content-Type` at all is read as JSON.
    static func checkContentType(_ request: Request) throws {
        guard let header = request.headers[.contentType] else { return }
        let mediaType = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw APIError(
                .unsupportedMediaType, status: .unsupportedMediaType, message: "the body must be JSON (Content-Type: application/json)",
                details: .object(["contentType": .string(String(header.prefix(200)))]))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            _ = try JSONParser.parse(bytes)
        } catch let failure {
            throw APIError(
                .invalidJSON, status: .badRequest,
                message: "request body is not valid JSON: \(failure.reason) at line \(failure.line), column \(failure.column)",
                details: .object([
                    "line": .integer(failure.line), "column": .integer(failure.column), "offset": .integer(failure.offset),
                    "reason": .string(failure.reason),
                ]))
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            let (path, reason) = describe(error)
            throw APIError(
                .invalidJSON, status: .badRequest, message: "request body has the wrong shape at \(path): \(reason)",
                details: .object(["path": .string(path), "reason": .string(reason)]))
        }
    }

    /// A JSON Pointer to where decoding failed, and why.
    static func describe(_ error: DecodingError) -> (String, String) {
        func pointer(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "/" : path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return (pointer(context.codingPath + [key]), "required member is missing")
        case .typeMismatch(let type, let context): return (pointer(context.codingPath), "expected \(name(of: type))")
        case .valueNotFound(let type, let context): return (pointer(context.codingPath), "expected \(name(of: type)), found null")
        case .dataCorrupted(let context): return (pointer(context.codingPath), context.debugDescription)
        @unknown default: return ("/", "cannot be decoded")
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
