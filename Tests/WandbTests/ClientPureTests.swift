import Foundation
import JSON
import Testing
import WandbAPI
import WandbModel

@Suite("Client pure parts")
struct ClientPureTests {
    // MARK: Retry policy

    @Test("reads retry 429, 5xx and connection errors; not 400, 401, 404, 501")
    func retryReads() {
        let policy = RetryPolicy(maximumAttempts: 5, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1))
        for status in [429, 500, 502, 503, 504, 408] {
            #expect(policy.decide(after: .status(status, retryAfter: nil), attempt: 1, kind: .query, random: 0) != .giveUp)
        }
        for status in [400, 401, 403, 404, 409, 422, 501] {
            #expect(policy.decide(after: .status(status, retryAfter: nil), attempt: 1, kind: .query, random: 0) == .giveUp)
        }
        #expect(policy.decide(after: .transportFailure, attempt: 1, kind: .query, random: 0) != .giveUp)
        #expect(policy.decide(after: .status(500, retryAfter: nil), attempt: 5, kind: .query, random: 0) == .giveUp)
    }

    @Test("non-idempotent writes retry only a 429; idempotent ones retry like reads")
    func retryWrites() {
        let policy = RetryPolicy()
        #expect(policy.decide(after: .status(500, retryAfter: nil), attempt: 1, kind: .mutation, random: 0) == .giveUp)
        #expect(policy.decide(after: .status(503, retryAfter: nil), attempt: 1, kind: .mutation, random: 0) == .giveUp)
        #expect(policy.decide(after: .transportFailure, attempt: 1, kind: .mutation, random: 0) == .giveUp)
        #expect(policy.decide(after: .status(429, retryAfter: nil), attempt: 1, kind: .mutation, random: 0) != .giveUp)
        #expect(policy.decide(after: .status(500, retryAfter: nil), attempt: 1, kind: .idempotentMutation, random: 0) != .giveUp)
        #expect(policy.decide(after: .transportFailure, attempt: 1, kind: .idempotentMutation, random: 0) != .giveUp)
    }

    @Test("backoff doubles, is capped, jitters within 1.0...1.25, and Retry-After wins")
    func backoff() {
        let policy = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500))
        #expect(policy.backoff(beforeRetry: 1, random: 0) == .milliseconds(100))
        #expect(policy.backoff(beforeRetry: 2, random: 0) == .milliseconds(200))
        #expect(policy.backoff(beforeRetry: 3, random: 0) == .milliseconds(400))
        #expect(policy.backoff(beforeRetry: 4, random: 0) == .milliseconds(500))
        #expect(policy.backoff(beforeRetry: 40, random: 0) == .milliseconds(500))
        #expect(policy.backoff(beforeRetry: 1, random: 1) == .milliseconds(125))
        let waited = policy.decide(after: .status(429, retryAfter: .seconds(3)), attempt: 1, kind: .query, random: 0.5)
        #expect(waited == .retry(after: .seconds(3)))
    }

    @Test("Retry-After accepts seconds, fractions and HTTP dates; one header only")
    func retryAfter() {
        #expect(RetryAfter.parse("2") == .seconds(2))
        #expect(RetryAfter.parse(" 0.5 ") == .milliseconds(500))
        #expect(RetryAfter.parse("-1") == .zero)
        #expect(RetryAfter.parse("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_000_000_000)  // Sun, 09 Sep 2001 01:46:40 GMT
        #expect(RetryAfter.parse("Sun, 09 Sep 2001 01:46:50 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sun, 09 Sep 2001 01:46:00 GMT", now: now) == .zero)
        #expect(RetryAfter.wait(in: ["1", "2"]) == nil)
        #expect(RetryAfter.wait(in: ["1"]) == .seconds(1))
    }

    // MARK: Secrets

    @Test("the API key never shows in descriptions of the key, the configuration or errors")
    func keyIsRedacted() throws {
        let secret = "local-0123456789abcdef0123456789abcdef01234567"
        let key = try WandbAPIKey(secret + "\n")
        #expect(key.secret == secret)
        let configuration = try WandbClient.Configuration(baseURL: "http://127.0.0.1:9/", apiKey: key)
        var texts = [
            String(describing: key), String(reflecting: key), String(describing: configuration),
            String(reflecting: configuration), "\(configuration)",
        ]
        var dumped = ""
        dump(configuration, to: &dumped)
        texts.append(dumped)
        let error = WandbAPIError(code: .graphQL, message: "bad", graphQLMessages: ["x"])
        texts += [String(describing: error), String(reflecting: error)]
        for text in texts {
            #expect(!text.contains(secret), "leaked in: \(text)")
            #expect(!text.contains("0123456789abcdef"), "leaked in: \(text)")
        }
        #expect(configuration.endpointURL == "http://127.0.0.1:9/graphql")
        #expect(key.authorizationHeaderValue == "Basic " + Data("api:\(secret)".utf8).base64EncodedString())
    }

    @Test("keys with inner whitespace or nothing in them are refused")
    func badKeys() {
        #expect(throws: WandbAPIError.self) { try WandbAPIKey("  \n") }
        #expect(throws: WandbAPIError.self) { try WandbAPIKey("abc def") }
        #expect(throws: WandbAPIError.self) { try WandbAPIKey("abc\r\nX-Evil: 1") }
    }

    // MARK: Configuration

    @Test("settings resolve flag > environment > error, the key from a file or WANDB_API_KEY")
    func resolveSettings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launchq-client-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("key").path
        try "file-key-0000000000000000000000000000000000000000\n".write(toFile: keyFile, atomically: true, encoding: .utf8)

        let environment = ["WANDB_BASE_URL": "https://env.example/", "WANDB_API_KEY": "env-key-1111111111111111111111111111111111"]
        let fromFlags = try WandbClient.Configuration.resolve(
            urlFlag: "http://flag.example", apiKeyFile: keyFile, environment: environment)
        #expect(fromFlags.baseURL == "http://flag.example")
        #expect(fromFlags.apiKey.secret == "file-key-0000000000000000000000000000000000000000")

        let fromEnvironment = try WandbClient.Configuration.resolve(urlFlag: nil, apiKeyFile: nil, environment: environment)
        #expect(fromEnvironment.baseURL == "https://env.example")
        #expect(fromEnvironment.apiKey.secret == "env-key-1111111111111111111111111111111111")

        let noURL = #expect(throws: WandbAPIError.self) {
            try WandbClient.Configuration.resolve(urlFlag: nil, apiKeyFile: nil, environment: ["WANDB_API_KEY": "k"])
        }
        #expect(noURL?.code == .configuration)
        #expect(noURL?.message.contains("--wandb-url") == true)
        let noKey = #expect(throws: WandbAPIError.self) {
            try WandbClient.Configuration.resolve(urlFlag: "http://x", apiKeyFile: nil, environment: [:])
        }
        #expect(noKey?.message.contains("WANDB_API_KEY") == true)
        let missingPath = directory.appendingPathComponent("nope").path
        let missingFile = #expect(throws: WandbAPIError.self) {
            try WandbClient.Configuration.resolve(urlFlag: "http://x", apiKeyFile: missingPath, environment: environment)
        }
        #expect(missingFile?.message.contains("--wandb-api-key-file") == true)
        #expect(throws: WandbAPIError.self) {
            try WandbClient.Configuration.resolve(urlFlag: "ftp://x", apiKeyFile: nil, environment: environment)
        }
        #expect(throws: WandbAPIError.self) {
            try WandbClient.Configuration.resolve(urlFlag: "http://", apiKeyFile: nil, environment: environment)
        }
    }

    // MARK: Wire shapes

    @Test("a queue definition encodes the SDK's wire shapes")
    func definitionEncoding() throws {
        let queue = RunQueueDefinition(
            entity: "team", name: "q", resourceType: "kubernetes",
            config: ["metadata": ["name": "{{job}}"]],
            templateVariables: ["job": TemplateVariableDefinition(description: "job name", schema: ["type": "string"])],
            prioritizationMode: .v0,
            externalLinks: [ExternalLink(label: "docs", url: "https://example.com/a/b")]
        )
        #expect(queue.wrappedConfigJSON == #"{"resource_args":{"kubernetes":{"metadata":{"name":"{{job}}"}}}}"#)
        #expect(queue.templateVariablesJSON == #"{"job":{"description":"job name","schema":{"type":"string"}}}"#)
        #expect(queue.externalLinksJSON == #"{"links":[{"label":"docs","url":"https://example.com/a/b"}]}"#)
        let empty = RunQueueDefinition(entity: "e", name: "n", resourceType: "local-process")
        #expect(empty.templateVariablesJSON == "{}")
        #expect(empty.externalLinksJSON == #"{"links":[]}"#)
    }

    @Test("stored configs unwrap by resource type, or by their only member")
    func unwrap() {
        let wrapped: JSONValue = ["resource_args": ["vertex": ["spec": 1]]]
        #expect(RunQueueConfig.unwrap(wrapped, resourceType: "vertex") == ["spec": 1])
        #expect(RunQueueConfig.unwrap(wrapped, resourceType: "gcp-vertex") == ["spec": 1])
        #expect(RunQueueConfig.unwrap(["other": 1], resourceType: "vertex") == nil)
        let two: JSONValue = ["resource_args": ["a": 1, "b": 2]]
        #expect(RunQueueConfig.unwrap(two, resourceType: "c") == nil)
        #expect(RunQueueConfig.wrap(["x": 1], resourceType: "kubernetes") == ["resource_args": ["kubernetes": ["x": 1]]])
    }
}
