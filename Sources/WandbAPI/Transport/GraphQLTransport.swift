public import Logging

/// Sends one HTTP request carrying a GraphQL document and returns the raw answer.
///
/// The client does everything else (headers, retries, decoding); a transport only moves
/// bytes. ``HTTPGraphQLTransport`` is the AsyncHTTPClient implementation.
public protocol GraphQLTransport: Sendable {
    /// Sends `request` and returns the answer, whatever its status.
    /// - Parameter timeout: how long this one attempt may take in all (connect, send, read).
    /// - Throws: any error when no HTTP answer arrived (the client reports it as `transport`).
    func send(_ request: GraphQLHTTPRequest, timeout: Duration, logger: Logger) async throws -> GraphQLHTTPResponse
}

/// What a transport throws when an attempt got no complete answer within its timeout (the client may then
/// read in smaller batches).
public struct GraphQLTransportTimeout: Error, Sendable, Hashable {
    /// The attempt's timeout.
    public var timeout: Duration

    public init(timeout: Duration) { self.timeout = timeout }
}

/// One HTTP header line.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A `POST` of a GraphQL request body.
public struct GraphQLHTTPRequest: Sendable {
    /// The full endpoint URL (`{base_url}/graphql`).
    public var url: String
    /// Header lines, in order.
    public var headers: [HTTPHeaderField]
    /// The JSON body `{"query", "variables", "operationName"}`.
    public var body: [UInt8]

    public init(url: String, headers: [HTTPHeaderField], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The raw answer to a ``GraphQLHTTPRequest``.
public struct GraphQLHTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header lines, in order.
    public var headers: [HTTPHeaderField]
    /// The body, decompressed.
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeaderField], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Every value of the header `name` (case-insensitive).
    public func headerValues(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }
}
