import Store

// `launchq dev`'s throwaway PostgreSQL cluster is the Store module's `ThrowawayPostgres`
// (Sources/Store/Testing/ThrowawayPostgres.swift), shared with the tests that stop and restart a database under a
// running `launchq serve`. `DevSetup` starts it with the dev prefix and deletes it on exit with `stop()`.
extension ThrowawayPostgres.Configuration {
    /// The cluster of `launchq dev`: a `launchq-dev.XXXXXX` temporary directory.
    static var dev: Self {
        var configuration = Self()
        configuration.directoryPrefix = "launchq-dev"
        return configuration
    }
}
