public import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1

/// The AsyncHTTPClient transport: one shared `HTTPClient` (``HTTPClient/shared`` by default)
/// for every request, so connections are pooled and reused.
public struct HTTPGraphQLTransport: GraphQLTransport {
    /// The HTTP client requests go through. Not shut down by the transport.
    public let httpClient: HTTPClient
    /// Largest answer body accepted, in bytes.
    public var maximumResponseBytes: Int
    /// Whether to send `Accept-Encoding: gzip` (only when the client decompresses; the
    /// shared client does).
    public var acceptsGzip: Bool

    /// - Parameters:
    ///   - httpClient: the client to use; `HTTPClient.shared` by default.
    ///   - maximumResponseBytes: body limit, 64 MiB by default.
    ///   - acceptsGzip: send `Accept-Encoding: gzip`; defaults to `true` for the shared client
    ///     (which decompresses) and `false` for any other client.
    public init(httpClient: HTTPClient = .shared, maximumResponseBytes: Int = 64 << 20, acceptsGzip: Bool? = nil) {
        self.httpClient = httpClient
        self.maximumResponseBytes = maximumResponseBytes
        self.acceptsGzip = acceptsGzip ?? (httpClient === HTTPClient.shared)
    }

    public func send(_ request: GraphQLHTTPRequest, timeout: Duration, logger: Logger) async throws
        -> GraphQLHTTPResponse
    {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = .POST
        for field in request.headers {
            httpRequest.headers.add(name: field.name, value: field.value)
        }
        if acceptsGzip, !httpRequest.headers.contains(name: "Accept-Encoding") {
            httpRequest.headers.add(name: "Accept-Encoding", value: "gzip")
        }
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))

        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(httpRequest, deadline: deadline, logger: logger)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw GraphQLTransportTimeout(timeout: timeout)
        }
        var body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maximumResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw GraphQLTransportTimeout(timeout: timeout)
        } catch is NIOTooManyBytesError {
            // Not a transient failure: asking again would get the same answer.
            throw WandbAPIError(
                code: .decoding, message: "the answer is larger than \(maximumResponseBytes) bytes",
                httpStatus: Int(response.status.code))
        }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        return GraphQLHTTPResponse(
            status: Int(response.status.code),
            headers: response.headers.map { HTTPHeaderField($0.name, $0.value) },
            body: bytes
        )
    }
}

extension TimeAmount {
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanoseconds.overflow {
            self = .nanoseconds(Int64.max)
        } else {
            self = .nanoseconds(nanoseconds.partialValue + attoseconds / 1_000_000_000)
        }
    }
}
