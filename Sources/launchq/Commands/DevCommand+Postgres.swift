import PostgresCluster

// `launchq dev`'s throwaway PostgreSQL cluster is the PostgresCluster target's `ThrowawayPostgres`, shared with the
// tests (their lazily started cluster, and the ones they stop and restart under a running `launchq serve`).
// `DevSetup` starts it with the dev prefix and deletes it on exit with `stop()`.
extension ThrowawayPostgres.Configuration {
    /// The cluster of `launchq dev`: a `launchq-dev.XXXXXX` temporary directory.
    static var dev: Self {
        var configuration = Self()
        configuration.directoryPrefix = "launchq-dev"
        return configuration
    }
}
