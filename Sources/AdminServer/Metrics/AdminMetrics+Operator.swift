import Prometheus

extension AdminMetrics {
    /// Buckets of `launchq_http_request_duration_seconds` and `launchq_wandb_request_duration_seconds`.
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
        .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Counts and times one HTTP request to the admin API.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("http_requests", "total", "HTTP requests to the admin API by method, route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "Duration of HTTP requests to the admin API by route"),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Times one HTTP request to W&B (every attempt) by GraphQL operation.
    public func recordWandbRequest(operation: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("wandb_request_duration", "seconds", "Duration of HTTP requests to W&B by GraphQL operation"),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
        ).record(duration)
    }
}
