import Synchronization

/// The compiled runner schemas, each compiled from its embedded text the first time it is needed.
enum RunnerSchemaCatalogue {
    static let sagemaker = RunnerSchema(embedded: RunnerSchemaData.sagemaker)
    static let vertex = RunnerSchema(embedded: RunnerSchemaData.vertex)

    private static let kubernetesCache = Mutex<[String: RunnerSchema]>([:])

    /// The batch/v1 Job schema of `version`.
    static func kubernetes(_ version: KubernetesVersion) -> RunnerSchema {
        if let schema = kubernetesCache.withLock({ $0[version.minor] }) { return schema }
        let text = RunnerSchemaData.kubernetesVersions.first { $0.version == version.minor }!.schema
        let schema = RunnerSchema(embedded: text)
        kubernetesCache.withLock { $0[version.minor] = schema }
        return schema
    }
}
