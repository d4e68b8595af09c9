extension Operations {
    /// The SDK's `GetRunQueueItems` (`RunQueue._get_items`, what `RunQueue.items` reads), byte for byte: the
    /// first 100 items of one queue, ids only. Sent once per queue a plan would delete (see
    /// ``WandbClient/runQueueItemCount(entity:queue:)``).
    public static let runQueueItems = GraphQLOperation(
        name: "GetRunQueueItems",
        kind: .query,
        document: [
            "",
            "            query GetRunQueueItems($projectName: String!, $entityName: String!, $runQueue: String!) {",
            "                project(name: $projectName, entityName: $entityName) {",
            "                    runQueue(name: $runQueue) {",
            "                        runQueueItems(first: 100) {",
            "                            edges {",
            "                                node {",
            "                                    id",
            "                                }",
            "                            }",
            "                        }",
            "                    }",
            "                }",
            "            }",
            "        ",
        ].joined(separator: "\n")
    )

    /// How many items ``runQueueItems`` reads at most (the SDK's page size).
    public static let runQueueItemsPageSize = 100
}
