extension WandbClient {
    /// How to reach W&B and how hard to try. The API key never shows in `description`.
    public struct Configuration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The server, e.g. `https://api.wandb.ai`, without a trailing `/` (any path prefix is kept).
        public var baseURL: String
        /// The API key, sent as HTTP Basic `api:<key>`.
        public var apiKey: WandbAPIKey
        /// `User-Agent`; W&B gates admin access on the SDK's "W&B Public Client" agent.
        public var userAgent: String = "W&B Public Client 0.31.0"
        /// Sends `Use-Admin-Privileges: true`, as the SDK does.
        public var useAdminPrivileges: Bool = true
        /// `X-Wandb-Username` (the SDK sends `""` unless `WANDB_USERNAME` is set).
        public var username: String = ""
        /// `X-Wandb-User-Email` (the SDK sends `""` unless `WANDB_USER_EMAIL` is set).
        public var userEmail: String = ""
        /// More header lines to send (they never replace the authorization).
        public var extraHeaders: [HTTPHeaderField] = []
        /// Longest single HTTP attempt.
        public var requestTimeout: Duration = .seconds(30)
        /// Longest whole operation, retries and waits included.
        public var deadline: Duration = .seconds(120)
        /// When to retry.
        public var retry: RetryPolicy = RetryPolicy()
        /// Entities per batched read request.
        public var batchSize: Int = 25
        /// Projects per page in entity reads.
        public var projectsPageSize: Int = 100
        /// Most requests one batched read keeps in flight at once.
        public var maximumConcurrentRequests: Int = 4

        /// - Parameters:
        ///   - baseURL: `http(s)://host[:port][/prefix]`; a trailing `/` is removed.
        ///   - apiKey: the key.
        /// - Throws: ``WandbAPIError`` `configuration` for a URL that is not http(s).
        public init(baseURL: String, apiKey: WandbAPIKey) throws {
            self.baseURL = try Self.normalizedBaseURL(baseURL)
            self.apiKey = apiKey
        }

        /// `{baseURL}/graphql`.
        public var endpointURL: String { baseURL + "/graphql" }

        /// Trims, requires `http://` or `https://` and a host, drops trailing slashes.
        static func normalizedBaseURL(_ text: String) throws -> String {
            var url = Substring(text).drop(while: \.isWhitespace)
            while url.last?.isWhitespace == true || url.last == "/" { url = url.dropLast() }
            let lowered = url.lowercased()
            let scheme = ["http://", "https://"].first { lowered.hasPrefix($0) }
            guard let scheme, url.count > scheme.count, !url.contains(where: \.isWhitespace) else {
                throw WandbAPIError(
                    code: .configuration,
                    message: "the W&B URL \"\(text)\" is not an http:// or https:// URL with a host"
                )
            }
            return String(url)
        }

        public var description: String {
            "WandbClient.Configuration(baseURL: \(baseURL), apiKey: <redacted>, userAgent: \(userAgent), "
                + "requestTimeout: \(requestTimeout), deadline: \(deadline), batchSize: \(batchSize), "
                + "maximumAttempts: \(retry.maximumAttempts))"
        }

        public var debugDescription: String { description }
    }
}

extension WandbClient.Configuration: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "apiKey": "<redacted>", "userAgent": userAgent,
                "requestTimeout": requestTimeout, "deadline": deadline, "retry": retry, "batchSize": batchSize,
            ]
        )
    }
}

extension WandbClient.Configuration {
    /// The header lines of every request (§1.2 of wire.md).
    var requestHeaders: [HTTPHeaderField] {
        var fields = extraHeaders.filter {
            let name = $0.name.lowercased()
            return !["authorization", "content-type", "user-agent", "use-admin-privileges"].contains(name)
        }
        fields.append(HTTPHeaderField("User-Agent", userAgent))
        fields.append(HTTPHeaderField("Authorization", apiKey.authorizationHeaderValue))
        fields.append(HTTPHeaderField("Content-Type", "application/json"))
        if useAdminPrivileges { fields.append(HTTPHeaderField("Use-Admin-Privileges", "true")) }
        fields.append(HTTPHeaderField("X-Wandb-User-Email", userEmail))
        fields.append(HTTPHeaderField("X-Wandb-Username", username))
        return fields
    }
}
