import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TestSupport
import WandbSandbox

/// The sandbox tests' additions to TestSupport's ``TestSandbox``: a small raw-HTTP client for it (no W&B client
/// logic in between).
extension TestSandbox {
    /// HTTP methods the tests use.
    enum Method: String {
        case get = "GET"
        case post = "POST"
    }

    /// An HTTP answer: status, headers (lower-cased names) and the body parsed as JSON (when it is JSON).
    struct Answer {
        var status: Int
        var headers: [String: [String]]
        var text: String
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        }
        /// `data` of a GraphQL answer.
        var data: [String: Any]? { json?["data"] as? [String: Any] }
        /// The `message`s of a GraphQL answer's `errors`.
        var errorMessages: [String] {
            (json?["errors"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        }
    }

    static func basic(_ key: String) -> String {
        "Basic " + Data("api:\(key)".utf8).base64EncodedString()
    }

    /// Sends raw bytes to `path` (with the admin key unless `authorization` says otherwise; `.some(nil)` = none).
    func send(
        _ method: Method = .post, _ path: String, body: [UInt8]? = nil, authorization: String?? = .none
    ) async throws -> Answer {
        let header: String?
        switch authorization {
        case .none: header = Self.basic(adminKey)
        case .some(let value): header = value
        }
        return try await Self.send(method, url: server.baseURL + path, body: body, authorization: header)
    }

    /// Sends raw bytes to any URL.
    static func send(_ method: Method, url: String, body: [UInt8]?, authorization: String?) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        var headers: [String: [String]] = [:]
        for (name, value) in response.headers { headers[name.lowercased(), default: []].append(value) }
        return Answer(status: Int(response.status.code), headers: headers, text: String(buffer: buffer))
    }

    /// Sends a GraphQL request (as the SDK does: `operationName` present, `""` for raw documents).
    func graphql(
        _ query: String, variables: [String: Any]? = nil, operationName: String = "", key: String? = nil
    ) async throws -> Answer {
        var body: [String: Any] = ["query": query, "operationName": operationName]
        if let variables { body["variables"] = variables }
        let bytes = try JSONSerialization.data(withJSONObject: body)
        return try await send(.post, "/graphql", body: Array(bytes), authorization: .some(Self.basic(key ?? adminKey)))
    }
}

/// Reads nested JSON values: `value["a", "b", 0, "c"]`.
func jsonPath(_ value: Any?, _ path: Any...) -> Any? {
    var current = value
    for step in path {
        if let key = step as? String {
            current = (current as? [String: Any])?[key]
        } else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    return current
}
