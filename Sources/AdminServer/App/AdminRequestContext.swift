import Hummingbird
import Logging
import Store

/// The request context of the admin API: the core storage plus the verified token, once auth ran.
public struct AdminRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token that authenticated this request (`nil` on the open endpoints).
    public var token: APIToken?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.token = nil
    }

    /// Bodies are limited to 4 MiB (413 above).
    public var maxUploadSize: Int { AdminServer.Configuration.maximumBodySize }

    /// Who acted, for the audit log: `token:<name>`.
    var actor: String { token.map { "token:\($0.name)" } ?? "anonymous" }
}
