/// The wait before the next scheduled reconcile: the interval spread by up to ±`fraction`, so replicas
/// and restarts do not line up. Pure apart from the random source.
enum Jitter {
    static func spread(_ interval: Duration, fraction: Double, using generator: inout some RandomNumberGenerator) -> Duration {
        guard fraction > 0 else { return interval }
        let factor = 1 + Double.random(in: -fraction...fraction, using: &generator)
        return interval * max(factor, 0.01)
    }

    static func spread(_ interval: Duration, fraction: Double) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return spread(interval, fraction: fraction, using: &generator)
    }
}
